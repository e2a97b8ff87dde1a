from __future__ import annotations

import pytest

from redleaf.moderation.classifiers.duplicates import DuplicateIndex, hamming, normalise, simhash

SPAM_EN = "Buy 10k real followers for only $9.99, link in bio! Fast delivery, DM me now."
SPAM_EN_EDITED = "Buy 10k real followers for only $9.99 — link in bio!!  Fast delivery, DM me now"
SPAM_ZH = "互关互赞，回关必回，看我主页！每天抽奖送福利，关注即可参与"
SPAM_ZH_EDITED = "互關互贊 回關必回，看我主頁～每天抽獎送福利！關注即可參與"
UNRELATED = [
    "This hotpot was so spicy it nearly killed me, absolutely loved it.",
    "这家火锅辣得要命，但是太好吃了！",
    "Can anyone recommend a good vegan bakery in Shanghai?",
]


def test_normalise_folds_width_case_script_and_punctuation() -> None:
    assert normalise("ＨＥＬＬＯ, World!") == "helloworld"
    assert normalise("互關 互贊！") == "互关互赞"


def test_small_edits_move_the_hash_little_and_other_texts_far() -> None:
    assert hamming(simhash(SPAM_EN), simhash(SPAM_EN_EDITED)) <= 3
    assert hamming(simhash(SPAM_ZH), simhash(SPAM_ZH_EDITED)) <= 3
    for text in UNRELATED:
        assert hamming(simhash(SPAM_EN), simhash(text)) > 16
    assert simhash("!!! ...") == 0


@pytest.mark.parametrize(
    ("original", "edited"), [(SPAM_EN, SPAM_EN_EDITED), (SPAM_ZH, SPAM_ZH_EDITED)]
)
def test_near_duplicates_found_across_authors_not_same_author(original: str, edited: str) -> None:
    index = DuplicateIndex()
    index.add(original, author="alice", ref="note:1", now=0)
    for text in UNRELATED:
        index.add(text, author="carol", now=1)

    across = index.check(edited, author="bob", now=2)
    assert across.cross_account_ref == "note:1" and across.cross_account_author == "alice"
    assert across.cross_account_score > 0.5
    assert across.same_author_score == 0.0

    own = index.check(edited, author="alice", now=2)
    assert own.cross_account_score == 0.0 and own.cross_account_ref is None
    assert own.same_author_ref == "note:1" and own.same_author_score > 0.5


def test_different_texts_are_not_duplicates() -> None:
    index = DuplicateIndex()
    for number, text in enumerate(UNRELATED):
        index.add(text, author=f"author{number}", now=0)
    result = index.check(SPAM_EN, author="bob", now=1)
    assert result.cross_account_score == 0.0 and result.cross_account_distance is None


def test_identical_text_scores_one() -> None:
    index = DuplicateIndex()
    first = index.check_and_add(SPAM_ZH, author="a", ref="m:1", now=0)
    second = index.check_and_add(SPAM_ZH, author="b", ref="m:2", now=1)
    assert first.cross_account_score == 0.0
    assert second.cross_account_score == 1.0 and second.cross_account_distance == 0


def test_entries_expire_with_time() -> None:
    index = DuplicateIndex(max_age=60)
    index.add(SPAM_EN, author="alice", now=0)
    assert index.check(SPAM_EN, author="bob", now=59).cross_account_score == 1.0
    assert index.check(SPAM_EN, author="bob", now=60).cross_account_score == 0.0
    assert len(index) == 0


def test_size_bound_forgets_the_oldest() -> None:
    index = DuplicateIndex(max_entries=2)
    index.add(SPAM_EN, author="a", now=0)
    index.add(UNRELATED[0], author="a", now=1)
    index.add(UNRELATED[1], author="a", now=2)
    assert len(index) == 2
    assert index.check(SPAM_EN, author="b", now=3).cross_account_score == 0.0
    assert index.check(UNRELATED[1], author="b", now=3).cross_account_score == 1.0


def test_k_must_fit_the_hash() -> None:
    with pytest.raises(ValueError):
        DuplicateIndex(k=0)
