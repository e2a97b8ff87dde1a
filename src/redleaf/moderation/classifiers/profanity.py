"""English offensive language with alt-profanity-check (a linear SVM over word n-grams, model
shipped in the wheel).

The model knows English only: on Chinese it returns a meaningless ~0.04 for everything, and on
mixed text it scores the English words. Text with no Latin letter at all therefore scores 0.0
outright (the multilingual classifiers in `embedding.py` cover Chinese); text with some Latin
letters is scored whole.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any

from redleaf.moderation.classifiers.base import Classifier

PROFANITY_NAME = "profanity_en"

# Latin letters, including accented ones and full-width ASCII (ｆｕｃｋ is still English).
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f\uff21-\uff3a\uff41-\uff5a]")


def has_latin_letters(text: str) -> bool:
    return _LATIN_LETTER.search(text) is not None


@cache
def _predict_prob() -> Any:
    # Imported on first use: loading scikit-learn and the pickled model takes ~2 s.
    from profanity_check import predict_prob

    return predict_prob


class ProfanityClassifier(Classifier):
    name = PROFANITY_NAME

    def __init__(self) -> None:
        from importlib.metadata import version

        self.version = version("alt-profanity-check")

    def score(self, texts: list[str]) -> list[float]:
        scores = [0.0] * len(texts)
        english_at = [i for i, text in enumerate(texts) if has_latin_letters(text)]
        if english_at:
            # NFKC folds full-width letters, which the model's vocabulary lacks.
            batch = [unicodedata.normalize("NFKC", texts[i]) for i in english_at]
            for i, probability in zip(english_at, _predict_prob()(batch), strict=True):
                scores[i] = min(1.0, max(0.0, float(probability)))
        return scores
