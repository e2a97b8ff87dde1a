from __future__ import annotations

import pytest

from redleaf.moderation.classifiers.profanity import ProfanityClassifier, has_latin_letters


@pytest.fixture(scope="module")
def profanity() -> ProfanityClassifier:
    return ProfanityClassifier()


def test_offensive_english_scores_high_and_food_talk_low(profanity: ProfanityClassifier) -> None:
    offensive, spicy = profanity.score(["shut up you stupid moron", "I love spicy hotpot"])
    assert offensive > 0.9
    assert spicy < 0.2


def test_text_without_latin_letters_scores_zero(profanity: ProfanityClassifier) -> None:
    assert profanity.score(["你是个白痴", "🔥🔥 123", ""]) == [0.0, 0.0, 0.0]
    assert has_latin_letters("ｆｏｏ") and not has_latin_letters("火锅")


def test_full_width_letters_are_folded(profanity: ProfanityClassifier) -> None:
    [score] = profanity.score(["ｓｈｕｔ ｕｐ ｙｏｕ ｓｔｕｐｉｄ ｍｏｒｏｎ"])
    assert score > 0.9


async def test_ascore_matches_score(profanity: ProfanityClassifier) -> None:
    texts = ["you idiot", "nice photo"]
    assert await profanity.ascore(texts) == profanity.score(texts)
