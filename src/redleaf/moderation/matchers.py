"""Compiled matchers, built once per policy version: term lists and domain lists (patterns are
vetted in moderation/patterns.py, re-exported here).

Terms: one Aho–Corasick automaton over every term of every rule (normalised like the text), so a
text is read once however many rules and terms there are. Measured in bench/moderation.py with
10,000 terms against one big regex (as a plain alternation and as a trie-shaped one); the
automaton was 30-60x faster, and it reports every term that ends at a position, where a regex
reports one ("crypto" and "crypto giveaway" may belong to two rules). Terms holding Chinese,
Japanese or Korean match as substrings; others match on word boundaries of the normalised text,
where a removed separator ("stupid-ass") counts as a boundary.

Domains: links found with the translation feature's URL pattern plus bare domains ("x.cn/abc");
a link matches when its host or any parent domain is listed.
"""

from __future__ import annotations

import contextlib
import re
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from redleaf.moderation.normalize import fold_for_links, has_cjk, normalize, normalize_leet
from redleaf.moderation.patterns import (  # re-exported: one place to import matchers from
    MAX_PATTERN_LENGTH,
    PatternRejected,
    compile_pattern,
    required_literal,
)
from redleaf.translation.entities import URL_PATTERN

__all__ = [
    "MAX_PATTERN_LENGTH",
    "DomainIndex",
    "PatternRejected",
    "TermAutomaton",
    "TermHit",
    "compile_pattern",
    "find_hosts",
    "normalize_domain",
    "normalize_term",
    "required_literal",
]


# ----------------------------------------------------------------------------- terms


def _is_word_char(char: str) -> bool:
    # CJK counts as outside a word: "今天好fun" has an English word glued to Chinese.
    return char.isalnum() and ord(char) < 0x2E80


@dataclass(frozen=True)
class TermHit:
    term: str  # the term as normalised
    start: int
    end: int
    payload: tuple[Any, ...]  # what the term was registered with (rule indices)


class TermAutomaton:
    """Aho–Corasick over normalised terms. `add` terms with a payload each, then `scan`."""

    def __init__(self) -> None:
        self._goto: list[dict[str, int]] = [{}]
        self._fail: list[int] = [0]
        self._terms: list[list[int]] = [[]]  # term ids ending exactly at a state
        self._outputs: list[tuple[int, ...]] = []  # after build: ids ending at a state or suffix
        self._text: list[str] = []
        self._bounded: list[bool] = []
        self._payloads: list[list[Any]] = []
        self._ids: dict[tuple[str, bool], int] = {}
        self._built = False

    def __len__(self) -> int:
        return len(self._text)

    def add(self, term: str, payload: Any, bounded: bool | None = None) -> None:
        """Register `term` (already normalised) with `payload`; a term added twice keeps both
        payloads. `bounded`: whether it must sit on word boundaries (by default, unless it holds
        CJK); the same text bounded and unbounded is two entries."""
        if self._built:
            raise RuntimeError("the automaton is already built")
        if not term:
            return
        bounded = not has_cjk(term) if bounded is None else bounded
        term_id = self._ids.get((term, bounded))
        if term_id is None:
            term_id = len(self._text)
            self._ids[(term, bounded)] = term_id
            self._text.append(term)
            self._bounded.append(bounded)
            self._payloads.append([])
            state = 0
            for char in term:
                nxt = self._goto[state].get(char)
                if nxt is None:
                    nxt = len(self._goto)
                    self._goto.append({})
                    self._fail.append(0)
                    self._terms.append([])
                    self._goto[state][char] = nxt
                state = nxt
            self._terms[state].append(term_id)
        self._payloads[term_id].append(payload)

    def build(self) -> TermAutomaton:
        outputs: list[list[int]] = [list(ids) for ids in self._terms]
        queue: deque[int] = deque()
        for child in self._goto[0].values():
            queue.append(child)
        while queue:
            state = queue.popleft()
            for char, child in self._goto[state].items():
                queue.append(child)
                fallback = self._fail[state]
                while fallback and char not in self._goto[fallback]:
                    fallback = self._fail[fallback]
                target = self._goto[fallback].get(char, 0)
                self._fail[child] = target if target != child else 0
                outputs[child].extend(outputs[self._fail[child]])
        self._outputs = [tuple(ids) for ids in outputs]
        self._payload_tuples = [tuple(payloads) for payloads in self._payloads]
        self._built = True
        return self

    def scan(self, text: str, seams: frozenset[int] = frozenset()) -> list[TermHit]:
        """Every registered term in `text`, overlapping ones included; word-bounded terms only
        where both ends fall on a boundary or a seam."""
        if not self._built:
            raise RuntimeError("build() the automaton before scanning")
        goto, fail, outputs = self._goto, self._fail, self._outputs
        state = 0
        found: list[tuple[int, tuple[int, ...]]] = []
        for position, char in enumerate(text, 1):
            nxt = goto[state].get(char)
            while nxt is None and state:
                state = fail[state]
                nxt = goto[state].get(char)
            state = nxt or 0  # the root (0) is nobody's child, so 0 only means "no edge"
            if outputs[state]:
                found.append((position, outputs[state]))
        if not found:
            return []
        hits: list[TermHit] = []
        length = len(text)
        for end, term_ids in found:
            for term_id in term_ids:
                term = self._text[term_id]
                start = end - len(term)
                if self._bounded[term_id] and not (
                    (start == 0 or start in seams or not _is_word_char(text[start - 1]))
                    and (end == length or end in seams or not _is_word_char(text[end]))
                ):
                    continue
                hits.append(TermHit(term, start, end, self._payload_tuples[term_id]))
        return hits


def normalize_term(term: str, leet: bool = False) -> str:
    """A term as the text it must meet will be: the same normaliser, so "Ｆｕｃｋ" in a list
    equals "fuck" in a message."""
    return normalize_leet(term) if leet else normalize(term)


# ----------------------------------------------------------------------------- domains

# Bare domains ("x.cn/abc", "Evil.example.com"): labels of letters, digits and hyphens, a
# top-level label of 2-24 letters, not part of an e-mail address or a longer word.
_BARE_DOMAIN = re.compile(
    r"(?<![\w@.\-])((?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)+[a-z]{2,24})(?![\w\-]|\.\w)",
)
_HOST = re.compile(r"^(?:[a-z][a-z0-9+.\-]*://)?(?:[^/@?#]*@)?([^/:?#]+)", re.IGNORECASE)


def normalize_domain(value: str) -> str:
    """ "https://WWW.Evil.example.com:8080/x" and "evil.example.com." → "evil.example.com";
    non-ASCII names in their IDNA (punycode) form."""
    match = _HOST.match(value.strip().lower())
    host = (match.group(1) if match else value).strip(".")
    if host.startswith("www."):
        host = host[4:]
    if not host.isascii():
        with contextlib.suppress(UnicodeError):  # not a valid IDNA name: keep it as written
            host = host.encode("idna").decode("ascii")
    return host


def find_hosts(text: str) -> list[str]:
    """Hosts of the links in `text` (with a scheme or www., and bare domains), in order, each
    once. Full-width forms are folded first: "ｅｖｉｌ．ｃｎ" is a link."""
    if "." not in text and "。" not in text and "．" not in text and text.isascii():
        return []
    folded = fold_for_links(text)
    if "." not in folded and "。" not in folded:
        return []
    folded = folded.replace("。", ".")  # the ideographic full stop, typed to dodge link checks
    hosts: list[str] = []
    for match in URL_PATTERN.finditer(folded):
        hosts.append(normalize_domain(match.group()))
    stripped = URL_PATTERN.sub(" ", folded)
    for match in _BARE_DOMAIN.finditer(stripped):
        hosts.append(normalize_domain(match.group(1)))
    return list(dict.fromkeys(host for host in hosts if host))


class DomainIndex:
    """Listed domains → payloads; a host matches itself and every parent domain. The entry "*"
    matches any link."""

    ANY = "*"

    def __init__(self, entries: Iterable[tuple[str, Any]] = ()) -> None:
        self._payloads: dict[str, list[Any]] = {}
        for domain, payload in entries:
            self.add(domain, payload)

    def __bool__(self) -> bool:
        return bool(self._payloads)

    def add(self, domain: str, payload: Any) -> None:
        key = self.ANY if domain.strip() == self.ANY else normalize_domain(domain)
        self._payloads.setdefault(key, []).append(payload)

    def lookup(self, hosts: Sequence[str]) -> list[tuple[str, str, Any]]:
        """(host, listed domain, payload) for each listed domain that covers a host."""
        out: list[tuple[str, str, Any]] = []
        payloads = self._payloads
        for host in hosts:
            labels = host.split(".")
            for index in range(len(labels)):
                candidate = ".".join(labels[index:])
                for payload in payloads.get(candidate, ()):
                    out.append((host, candidate, payload))
            for payload in payloads.get(self.ANY, ()):
                out.append((host, self.ANY, payload))
        return out
