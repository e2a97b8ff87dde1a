"""Answering a `LexicalQuery` on a Tantivy searcher (the fields of tantivy_backend.py).

Queries are built as Tantivy `Query` objects from the parsed clauses, never through
`parse_query` (which raises on user input): each term or phrase must appear in one of the text
fields (the title's BM25 weighted double); `#tags` are exact terms of the `tag` field; filters
are zero-scored required clauses; exclusions are `MustNot`. `near` is a bounding box in the
query, then the exact distance in Python on the hits (asking Tantivy for more until the page
is full).

Sorted orders are (value, id) descending with keyset paging. Tantivy orders by one fast field
and leaves ties in any order, so a page asks for one more hit than it needs: everything above
the last value Tantivy returned is complete, and when the page ends inside a tie at that value
the tie is fetched again ordered by id. Counting is off (`count=False`: counting walks every
match).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import tantivy

from redleaf.search.backends.base import (
    SORT_FIELDS,
    Clause,
    Hit,
    LexicalQuery,
    from_micros,
    micros,
)

TITLE_BOOST = 2.0
TEXT_FIELDS = ("title", "body", "tags", "place")
KIND_CODES = {"image": 0, "video": 1, "text": 2}
EARTH_KM = 6371.0088

Occur, Query, FieldType = tantivy.Occur, tantivy.Query, tantivy.FieldType
Keep = Callable[[tantivy.Searcher, list[tantivy.DocAddress]], list[bool]]


@dataclass
class _Row:
    key: Any  # the order key: the score, or the sorted field's value
    id: int
    address: tantivy.DocAddress


def search(searcher: tantivy.Searcher, schema: tantivy.Schema, query: LexicalQuery) -> list[Hit]:
    built = build(schema, query)
    if built is None:
        return []
    keep = _near_keep(query) if query.near is not None else None
    if query.sort == "relevance":
        rows = _fetch(searcher, built, None, query.limit, keep)[0][: query.limit]
    else:
        rows = _sorted(searcher, schema, built, query, keep)
    return _hits(searcher, rows, query.sort == "relevance")


def _sorted(
    searcher: tantivy.Searcher,
    schema: tantivy.Schema,
    built: tantivy.Query,
    query: LexicalQuery,
    keep: Keep | None,
) -> list[_Row]:
    """The page in (value, id) descending order (see the module docstring)."""
    field, limit = SORT_FIELDS[query.sort], query.limit
    if query.after is not None:
        built = _and(built, _after(schema, field, *query.after))
    rows, exhausted, floor = _fetch(searcher, built, field, limit + 1, keep)
    rows.sort(key=lambda row: (row.key, row.id), reverse=True)
    if exhausted:
        return rows[:limit]
    above = [row for row in rows if row.key > floor]
    if len(above) >= limit:
        return above[:limit]
    tie = _and(built, Query.range_query(schema, field, FieldType.Integer, floor, floor))
    ties = _fetch(searcher, tie, "id", limit - len(above), keep)[0]
    return above + ties[: limit - len(above)]


def _after(schema: tantivy.Schema, field: str, value: int, last_id: int) -> tantivy.Query:
    """(field, id) < (value, last_id)."""
    below = Query.range_query(schema, field, FieldType.Integer, None, value, include_upper=False)
    same = Query.boolean_query(
        [
            (Occur.Must, Query.range_query(schema, field, FieldType.Integer, value, value)),
            (
                Occur.Must,
                Query.range_query(
                    schema, "id", FieldType.Integer, None, last_id, include_upper=False
                ),
            ),
        ]
    )
    return Query.boolean_query([(Occur.Should, below), (Occur.Should, same)])


def _fetch(
    searcher: tantivy.Searcher,
    query: tantivy.Query,
    field: str | None,
    want: int,
    keep: Keep | None,
) -> tuple[list[_Row], bool, Any]:
    """At least `want` rows that `keep` accepts, in Tantivy's order (score, or `field`
    descending), unless the matches run out (exhausted); and the last key Tantivy returned:
    every match with a key above it was returned."""
    wanted = max(want, 1)
    while True:
        hits = searcher.search(query, wanted, count=False, order_by_field=field).hits
        exhausted = len(hits) < wanted
        if not hits:
            return [], True, None
        addresses = [address for _key, address in hits]
        ids = searcher.fast_field_values("id", addresses)
        rows = [
            _Row(key, int(note_id), address)
            for (key, address), note_id in zip(hits, ids, strict=True)
            if note_id is not None
        ]
        if keep is not None:
            accepted = keep(searcher, [row.address for row in rows])
            rows = [row for row, ok in zip(rows, accepted, strict=True) if ok]
        if exhausted or len(rows) >= want:
            return rows, exhausted, hits[-1][0]
        wanted *= 4


def _hits(searcher: tantivy.Searcher, rows: list[_Row], scored: bool) -> list[Hit]:
    if not rows:
        return []
    addresses = [row.address for row in rows]
    created, likes, collects, comments = (
        searcher.fast_field_values(name, addresses)
        for name in ("created_at", "like_count", "collect_count", "comment_count")
    )
    return [
        Hit(
            id=row.id,
            score=float(row.key) if scored else 0.0,
            created_at=from_micros(int(created[i] or 0)),
            like_count=int(likes[i] or 0),
            collect_count=int(collects[i] or 0),
            comment_count=int(comments[i] or 0),
        )
        for i, row in enumerate(rows)
    ]


# --- building the query ------------------------------------------------------------------------


def _filter(query: tantivy.Query) -> tuple[tantivy.Occur, tantivy.Query]:
    """A required clause that does not change the score."""
    return (Occur.Must, Query.const_score_query(query, 0.0))


def _and(query: tantivy.Query, condition: tantivy.Query) -> tantivy.Query:
    return Query.boolean_query([(Occur.Must, query), _filter(condition)])


def _clause(schema: tantivy.Schema, clause: Clause) -> tantivy.Query | None:
    """A term or a phrase in any text field, the title weighted double."""
    terms: list[str | tuple[int, str]] = [term for term in clause.terms if term]
    if not terms:
        return None
    should = []
    for field in TEXT_FIELDS:
        if len(terms) == 1:
            one = Query.term_query(schema, field, terms[0])
        else:
            one = Query.phrase_query(schema, field, terms)
        if field == "title":
            one = Query.boost_query(one, TITLE_BOOST)
        should.append((Occur.Should, one))
    return Query.boolean_query(should)


def build(schema: tantivy.Schema, query: LexicalQuery) -> tantivy.Query | None:
    """The Tantivy query, or None when nothing can match."""
    clauses: list[tuple[tantivy.Occur, tantivy.Query]] = []
    for clause in query.must:
        built = _clause(schema, clause)
        if built is not None:
            clauses.append((Occur.Must, built))
    clauses += [(Occur.Must, Query.term_query(schema, "tag", tag)) for tag in query.tags if tag]
    if not clauses or (query.authors is not None and not query.authors):
        return None
    if query.kinds:
        codes = sorted({KIND_CODES[kind] for kind in query.kinds if kind in KIND_CODES})
        if not codes:
            return None
        clauses.append(_filter(Query.term_set_query(schema, "kind", codes)))
    if query.since is not None or query.until is not None:
        low = micros(query.since) if query.since is not None else None
        high = micros(query.until) if query.until is not None else None
        if low is not None and high is not None and high <= low:
            return None
        created = Query.range_query(  # since is inclusive, until exclusive
            schema, "created_at", FieldType.Integer, low, high, include_upper=high is None
        )
        clauses.append(_filter(created))
    if query.authors is not None:
        clauses.append(_filter(Query.term_set_query(schema, "author_id", list(query.authors))))
    if query.exclude_authors:
        excluded = Query.term_set_query(schema, "author_id", list(query.exclude_authors))
        clauses.append((Occur.MustNot, excluded))
    for clause in query.must_not:
        built = _clause(schema, clause)
        if built is not None:
            clauses.append((Occur.MustNot, built))
    if query.near is not None:
        near = query.near
        clauses += [_filter(box) for box in _box(schema, near.lat, near.lon, near.km)]
    return Query.boolean_query(clauses)


def _box(schema: tantivy.Schema, lat: float, lon: float, km: float) -> list[tantivy.Query]:
    """A bounding box around the circle (whole at the poles and across ±180°)."""
    radius = max(km, 0.0) / EARTH_KM
    low, high = lat - math.degrees(radius), lat + math.degrees(radius)
    span = Query.range_query
    boxes = [span(schema, "lat", FieldType.Float, max(low, -90.0), min(high, 90.0))]
    if low <= -90.0 or high >= 90.0:
        return boxes  # the circle holds a pole: every longitude
    spread = math.degrees(math.asin(min(1.0, math.sin(radius) / math.cos(math.radians(lat)))))
    west, east = lon - spread, lon + spread
    if spread >= 180.0:
        return boxes
    if west < -180.0:
        parts = [(west + 360.0, 180.0), (-180.0, east)]
    elif east > 180.0:
        parts = [(west, 180.0), (-180.0, east - 360.0)]
    else:
        parts = [(west, east)]
    ranges = [(Occur.Should, span(schema, "lon", FieldType.Float, a, b)) for a, b in parts]
    boxes.append(Query.boolean_query(ranges))
    return boxes


def _near_keep(query: LexicalQuery) -> Keep:
    """The exact (haversine) distance test, on the hits' fast fields."""
    near = query.near
    assert near is not None
    lat0, lon0 = math.radians(near.lat), math.radians(near.lon)
    cos0 = math.cos(lat0)

    def keep(searcher: tantivy.Searcher, addresses: list[tantivy.DocAddress]) -> list[bool]:
        lats = searcher.fast_field_values("lat", addresses)
        lons = searcher.fast_field_values("lon", addresses)
        out = []
        for lat, lon in zip(lats, lons, strict=True):
            if lat is None or lon is None:
                out.append(False)
                continue
            phi = math.radians(lat)
            a = (
                math.sin((phi - lat0) / 2) ** 2
                + cos0 * math.cos(phi) * math.sin((math.radians(lon) - lon0) / 2) ** 2
            )
            out.append(2 * EARTH_KM * math.asin(math.sqrt(min(a, 1.0))) <= near.km)
        return out

    return keep
