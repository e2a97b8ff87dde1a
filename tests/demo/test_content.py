"""The planned demo community respects every limit a member would run into, in both languages,
and is the same every time."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from redleaf.accounts import service as accounts_service
from redleaf.accounts.vocab import INTERESTS, LANGUAGES, UI_LANGUAGES
from redleaf.demo import drawing
from redleaf.demo.content import SUBJECTS, Plan, Scale, channel_tag, make_plan
from redleaf.demo.people import PEOPLE
from redleaf.demo.places import CITIES
from redleaf.demo.texts import comments, writings
from redleaf.kit.i18n import catalogue
from redleaf.notes.text import fold_tag, hashtags
from redleaf.settings import Settings
from redleaf.translation.detect import detect_lang
from redleaf.translation.langs import base

SETTINGS = Settings(secret_key="test")


@pytest.fixture(scope="module")
def plan() -> Plan:
    return make_plan(SETTINGS)


def _all_comments(plan: Plan) -> list[str]:
    found = []
    for note in plan.notes:
        for comment in note.comments:
            found.append(comment.body)
            found += [reply.body for reply in comment.replies]
    return found


def test_a_few_dozen_members_and_a_few_hundred_notes(plan: Plan) -> None:
    assert len(plan.members) == len(PEOPLE) >= 30
    assert [p.username for p in plan.members[:4]] == ["lily", "jake", "mei", "sam"]
    assert len(plan.notes) == 300
    languages = Counter(note.lang for note in plan.notes)
    assert languages["en"] == languages["zh"] == 150
    assert set(Counter(note.topic for note in plan.notes)) == set(drawing.TOPIC_SCENES)


def test_members_pass_the_account_rules() -> None:
    names = [person.username for person in PEOPLE]
    assert len(set(names)) == len(names)
    for person in PEOPLE:
        accounts_service.check_username(SETTINGS, person.username)
        assert accounts_service.check_display_name(SETTINGS, person.display_name)
        assert 0 < len(person.bio) <= SETTINGS.bio_max_length
        assert person.ui_language in UI_LANGUAGES
        assert set(person.languages) <= set(LANGUAGES)
        assert set(person.interests) <= set(INTERESTS)
        assert set(person.topics) <= set(drawing.TOPIC_SCENES)
        assert person.home in CITIES
    assert Counter(p.ui_language for p in PEOPLE)["en"] >= 12
    assert Counter(p.ui_language for p in PEOPLE)["zh-Hans"] >= 12


def test_notes_fit_the_note_limits(plan: Plan) -> None:
    for note in plan.notes:
        assert 0 < len(note.title) <= SETTINGS.note_title_max_length
        assert 0 < len(note.body) <= SETTINGS.note_body_max_length
        tags = hashtags(note.body)
        assert 3 <= len(tags) <= SETTINGS.note_tags_max
        assert all(len(tag) <= SETTINGS.tag_max_length and tag == fold_tag(tag) for tag in tags)
        assert "{" not in note.title + note.body, note.title  # every fill-in was filled
        assert len(note.pictures) <= SETTINGS.note_images_max
        assert 0 <= note.text_style < 6
        if note.place is not None:
            assert 0 < len(note.place.name_en) <= SETTINGS.place_name_max_length
            assert 0 < len(note.place.name_zh) <= SETTINGS.place_name_max_length
            assert -90 <= note.place.lat <= 90 and -180 <= note.place.lon <= 180


def test_every_note_shows_under_its_explore_channel(plan: Plan) -> None:
    chips: dict[str, set[str]] = {}
    for lang, locale in (("en", "en"), ("zh", "zh-Hans")):
        chips[lang] = {fold_tag(catalogue(locale).gettext(label)) for label in INTERESTS.values()}
    for note in plan.notes:
        assert channel_tag(note.subject, note.lang) in hashtags(note.body)
        assert set(hashtags(note.body)) & chips[note.lang]
    assert channel_tag("hotpot", "zh") == "美食" and channel_tag("hotpot", "en") == "food"


def test_notes_read_as_the_language_they_are_in(plan: Plan) -> None:
    for note in plan.notes:
        assert base(detect_lang(f"{note.title}\n{note.body}")) == note.lang, note.title


def test_most_notes_have_one_to_six_pictures_and_some_have_none(plan: Plan) -> None:
    counts = Counter(len(note.pictures) for note in plan.notes)
    assert 0 < counts[0] < len(plan.notes) * 0.25
    assert sum(counts[n] for n in range(1, 7)) >= len(plan.notes) * 0.75
    for note in plan.notes:
        assert {p.scene for p in note.pictures} <= set(drawing.SCENES)
        assert len({p.aspect for p in note.pictures}) <= 1  # one shape per carousel
    seeds = [(p.scene, p.seed) for note in plan.notes for p in note.pictures]
    assert len(set(seeds)) == len(seeds)  # no picture shown twice


def test_notes_and_interactions_spread_over_the_last_month(plan: Plan) -> None:
    ages = [note.age.total_seconds() / 86400 for note in plan.notes]
    assert 0 < min(ages) < 3 and 20 < max(ages) <= 31
    assert [note.age for note in plan.notes] == sorted((n.age for n in plan.notes), reverse=True)
    for note in plan.notes:
        assert all(age <= note.age for _, age in note.likes)
        assert all(age <= note.age for _, _, age in note.collects)
        for comment in note.comments:
            assert comment.age <= note.age
            assert all(reply.age <= comment.age for reply in comment.replies)


def test_likes_collects_comments_and_follows(plan: Plan) -> None:
    members = {p.username for p in plan.members}
    assert sum(len(note.likes) for note in plan.notes) > 1000
    assert sum(len(note.collects) for note in plan.notes) > 200
    assert len(_all_comments(plan)) > 400
    for note in plan.notes:
        likers = [name for name, _ in note.likes]
        assert note.author not in likers and len(set(likers)) == len(likers)
        for name, board, _ in note.collects:
            assert name in likers
            assert board is None or board < len(plan.boards[name])
    assert all(len(body) <= SETTINGS.comment_max_length for body in _all_comments(plan))
    assert any(re.search(r"[\u4e00-\u9fff]", body) for body in _all_comments(plan))
    assert any(re.search(r"[A-Za-z]{3}", body) for body in _all_comments(plan))
    pairs = {(a, b) for a, b, _ in plan.follows}
    assert len(pairs) == len(plan.follows) > len(members) * 4
    assert all(a != b and {a, b} <= members for a, b in pairs)
    assert ("jake", "lily") in pairs


def test_boards_fit_their_limits(plan: Plan) -> None:
    for boards in plan.boards.values():
        names = [name for name, _, _ in boards]
        assert names and len(set(names)) == len(names)
        for name, description, _private in boards:
            assert 0 < len(name) <= SETTINGS.board_name_max_length
            assert len(description) <= SETTINGS.board_description_max_length
    names = {name for boards in plan.boards.values() for name, _, _ in boards}
    assert {"Trip ideas", "想去的地方"} <= names


def test_every_subject_is_written_in_both_languages() -> None:
    texts = writings()
    assert set(texts["en"]) == set(texts["zh"]) == set(SUBJECTS)
    for lang in ("en", "zh"):
        assert set(comments.REACTIONS[lang]) >= {"any"} | set(drawing.TOPIC_SCENES)


def test_the_same_scale_plans_the_same_community(plan: Plan) -> None:
    again = make_plan(SETTINGS)
    assert [(n.title, n.body, n.author) for n in again.notes] == [
        (n.title, n.body, n.author) for n in plan.notes
    ]


def test_a_small_scale_only_involves_its_own_members() -> None:
    small = make_plan(SETTINGS, Scale(members=4, notes=10))
    names = {p.username for p in small.members}
    assert names == {"lily", "jake", "mei", "sam"}
    assert len(small.notes) == 10
    for note in small.notes:
        assert note.author in names
        assert {name for name, _ in note.likes} <= names
        assert all(c.author in names for c in note.comments)
        assert set(re.findall(r"@([a-z0-9_]+)", note.body)) <= names
