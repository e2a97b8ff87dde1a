"""Interface languages: gettext catalogues read from the `.po` files, chosen per request.

Catalogues are parsed with Babel at start-up (no compile step, nothing binary in git). The
current locale lives in a context variable set by the locale middleware, so `_()` works the same
in routes, services, templates and error handlers. Placeholders are named: `_("Hi %(name)s",
name=...)`.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from babel.dates import format_datetime
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

# Public language codes (API, cookies, `<html lang>`) and their catalogue folder.
LOCALES = {"en": "en", "zh-Hans": "zh_Hans"}
DEFAULT_LOCALE = "en"
LOCALE_NAMES = {"en": "English", "zh-Hans": "简体中文"}

_current: contextvars.ContextVar[str] = contextvars.ContextVar("locale", default=DEFAULT_LOCALE)


@dataclass(frozen=True)
class Catalogue:
    messages: dict[str, str]
    plurals: dict[str, tuple[str, ...]]
    plural_rule: object

    def gettext(self, msgid: str) -> str:
        return self.messages.get(msgid) or msgid

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        forms = self.plurals.get(singular)
        if forms:
            index = self.plural_rule(n) if callable(self.plural_rule) else 0
            chosen = forms[min(index, len(forms) - 1)]
            if chosen:
                return chosen
        return singular if n == 1 else plural


@cache
def catalogue(locale: str) -> Catalogue:
    folder = LOCALES.get(locale, LOCALES[DEFAULT_LOCALE])
    path = LOCALE_DIR / folder / "LC_MESSAGES" / "messages.po"
    messages: dict[str, str] = {}
    plurals: dict[str, tuple[str, ...]] = {}
    if not path.exists():
        return Catalogue(messages, plurals, None)
    with path.open("rb") as handle:
        po = read_po(handle, locale=folder)
    for message in po:
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, str):
            if isinstance(message.string, str) and message.string:
                messages[message.id] = message.string
        elif isinstance(message.string, tuple | list):
            plurals[message.id[0]] = tuple(message.string)
    rule = _plural_rule(po.plural_expr)
    return Catalogue(messages, plurals, rule)


def _plural_rule(expr: str) -> object:
    # Babel gives a C expression like "(n != 1)" or "0"; both our languages fit these two.
    return (lambda n: 0) if expr.strip() in {"0", "(0)"} else (lambda n: 0 if n == 1 else 1)


def set_locale(locale: str) -> contextvars.Token[str]:
    return _current.set(locale if locale in LOCALES else DEFAULT_LOCALE)


def reset_locale(token: contextvars.Token[str]) -> None:
    _current.reset(token)


def get_locale() -> str:
    return _current.get()


def gettext(msgid: str, **params: object) -> str:
    text = catalogue(get_locale()).gettext(msgid)
    return text % params if params else text


def ngettext(singular: str, plural: str, n: int, **params: object) -> str:
    text = catalogue(get_locale()).ngettext(singular, plural, n)
    params.setdefault("num", n)
    return text % params


_ = gettext


def lazy(msgid: str) -> str:
    """Marks a string for extraction where it is defined; it is translated where it is shown."""
    return msgid


def babel_locale() -> str:
    """The current locale as Babel names it (for dates and numbers)."""
    return "zh_Hans_CN" if get_locale() == "zh-Hans" else "en"


def format_moment(value: datetime) -> str:
    """A point in time for a notice or an error, in the current locale; times are UTC (we do
    not know the reader's zone)."""
    return format_datetime(value, "medium", tzinfo=UTC, locale=babel_locale()) + " UTC"


def normalise_locale(value: str | None) -> str | None:
    """Map what people and browsers send ("zh", "zh-CN", "zh_Hans", "en-US") to our codes."""
    if not value:
        return None
    tag = value.strip().replace("_", "-").lower()
    if tag in {"zh", "zh-hans", "zh-cn", "zh-sg", "zh-hans-cn"} or tag.startswith("zh-hans"):
        return "zh-Hans"
    if tag.startswith("zh"):
        # Traditional-script readers still read simplified far better than English.
        return "zh-Hans"
    if tag == "en" or tag.startswith("en-"):
        return "en"
    return None


def parse_accept_language(header: str | None) -> str | None:
    """The best of our locales in an Accept-Language header, honouring q-values."""
    if not header:
        return None
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")[:20]):
        tag, _sep, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        weighted.append((-quality, index, tag))
    for negative_quality, _index, tag in sorted(weighted):
        if negative_quality < 0 and (locale := normalise_locale(tag)):
            return locale
    return None


def available_locales() -> Iterable[str]:
    return LOCALES.keys()
