"""What readers ask of translation: a note, a comment, a bio or any text in their language, and
whether a piece of content needs the Translate button at all."""

from __future__ import annotations

from dataclasses import replace

from redleaf.accounts.models import Account
from redleaf.kit.errors import InvalidInput
from redleaf.kit.i18n import get_locale
from redleaf.kit.runtime import Runtime
from redleaf.translation import detect
from redleaf.translation.chain import Result
from redleaf.translation.langs import CONTENT_LANGUAGES, UNDETERMINED, base, reads
from redleaf.translation.setup import translator_for

# What a reader may ask for: content codes, and the plain "zh" meaning simplified.
_ALIASES = {"zh": "zh-Hans", "zh-cn": "zh-Hans", "zh-tw": "zh-Hant", "zh-hk": "zh-Hant"}


def parse_lang(value: str | None, field: str) -> str:
    if value is None:
        raise InvalidInput("Choose a language.", field=field)
    code = _ALIASES.get(value.strip().lower(), value.strip())
    for known in CONTENT_LANGUAGES:
        if known.lower() == code.lower():
            return known
    raise InvalidInput("We cannot translate into or from that language.", field=field)


def reader_target(viewer: Account | None) -> str:
    """The language a reader's translations go into: their interface language."""
    ui = viewer.ui_language if viewer is not None else get_locale()
    return "zh-Hans" if base(ui) == "zh" else "en"


def reader_languages(viewer: Account | None) -> list[str]:
    """What a reader reads: the language of the page in front of them (which a cookie may set
    apart from the account's), their interface language and the languages they listed."""
    read = [base(get_locale())]
    if viewer is not None:
        read += [base(viewer.ui_language), *viewer.languages]
    return read


def offers_translation(
    lang: str, viewer: Account | None, *, languages: list[str] | None = None
) -> bool:
    """Whether content in `lang` gets a Translate button for this reader (or for a reader of
    `languages`)."""
    read = languages if languages is not None else reader_languages(viewer)
    return lang != UNDETERMINED and not reads(lang, read)


async def translate_text(
    runtime: Runtime, text: str, target: str, source: str | None = None
) -> Result:
    limit = runtime.settings.translation_text_max_length
    if len(text) > limit:
        raise InvalidInput(
            "The text is too long to translate (at most %(max)s characters).",
            field="text",
            max=limit,
        )
    if not text.strip():
        raise InvalidInput("There is no text to translate.", field="text")
    source_lang = source if source is not None else detect.detect_lang(text)
    if source_lang == UNDETERMINED:
        raise InvalidInput(
            "We could not tell which language this text is in.",
            field="text",
            code="lang_undetermined",
        )
    return await translator_for(runtime).translate(text, source_lang, target)


async def translate_content(runtime: Runtime, lang: str, target: str, *texts: str) -> list[Result]:
    """Pieces of one item (a note's one-line title and its body) in one language, translated as
    one text: one engine call and one cache row per item and language. Empty pieces stay empty.
    An undetermined item is translated as if it were in the other of English and Chinese."""
    source = lang if lang != UNDETERMINED else ("en" if base(target) == "zh" else "zh-Hans")
    pieces = [
        " ".join(text.split()) if i < len(texts) - 1 else text for i, text in enumerate(texts)
    ]
    present = [i for i, text in enumerate(pieces) if text.strip()]
    empty = Result("", source, target, "none", "translation")
    if not present:
        return [empty for _ in texts]
    # Every piece but the last is one line, and the translation keeps the text's lines exactly
    # (entities.py), so the first lines of the answer are those pieces.
    joined = "\n".join(pieces[i].strip() for i in present)
    result = await translator_for(runtime).translate(joined, source, target)
    lines = result.text.split("\n", len(present) - 1)
    lines += [""] * (len(present) - len(lines))
    results = [empty for _ in texts]
    for index, text in zip(present, lines, strict=True):
        results[index] = replace(result, text=text)
    return results


def merge(results: list[Result]) -> Result:
    """The engine, kind, words and terms of an item translated by `translate_content` (its pieces
    share them)."""
    return next((r for r in results if r.engine != "none"), results[0])
