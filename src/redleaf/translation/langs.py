"""Language codes for content and readers.

Content carries what detection found: "en", "zh-Hans" (simplified), "zh-Hant" (traditional),
"ja", "ko", "fr", "de", "es", "it", "pt", "ru", "nl", or "und" when there is too little text to
tell (emoji only, a word or two). Readers say which languages they read with the plain codes of
accounts/vocab.py ("zh" covers both scripts).
"""

from __future__ import annotations

UNDETERMINED = "und"

CONTENT_LANGUAGES = (
    "en",
    "zh-Hans",
    "zh-Hant",
    "ja",
    "ko",
    "fr",
    "de",
    "es",
    "it",
    "pt",
    "ru",
    "nl",
)


def base(lang: str) -> str:
    """ "zh-Hant" -> "zh"; "en" -> "en"."""
    return lang.split("-", 1)[0]


def reads(lang: str, languages: list[str] | tuple[str, ...]) -> bool:
    """Whether a reader of `languages` reads content in `lang` (undetermined text always)."""
    return lang == UNDETERMINED or base(lang) in {base(code) for code in languages}
