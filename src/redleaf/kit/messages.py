"""Catalogue upkeep: extract every translatable string and merge it into each language's `.po`.

Run with `make messages` (`python -m redleaf.kit.messages`). Besides `_()`, `gettext()`,
`ngettext()` and `lazy()`, the message given to any `AppError` subclass is extracted, found by
walking the subclasses so a new error class needs no registration. `missing_translations()` is
what the test suite uses to prove the Chinese catalogue is complete.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from redleaf.kit.errors import AppError
from redleaf.kit.i18n import LOCALE_DIR, LOCALES

SOURCE_DIR = LOCALE_DIR.parent
_IDENTIFIER = re.compile(r"^[a-z0-9_]+$")
METHOD_MAP = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "trim_blocks": "True", "lstrip_blocks": "True"}


def _error_classes() -> set[type[AppError]]:
    from redleaf.app import feature_routers

    feature_routers()  # imports every feature, so every error class exists

    found: set[type[AppError]] = set()
    pending = [AppError]
    while pending:
        cls = pending.pop()
        found.add(cls)
        pending.extend(cls.__subclasses__())
    return found


def keywords() -> dict[str, Any]:
    words: dict[str, Any] = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy": None}
    for cls in _error_classes():
        # RateLimited and SurgeQueued take the wait first and the message second; an error whose
        # arguments hold no message id (message_position 0) marks its ids with lazy() instead.
        position = getattr(cls, "message_position", 1)
        if position:
            words[cls.__name__] = (2,) if position == 2 else None
    return words


def extract() -> Catalog:
    catalog = Catalog(project="redleaf", charset="utf-8")
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(SOURCE_DIR),
        METHOD_MAP,
        options_map={"**/templates/**.html": JINJA_OPTIONS},
        keywords=keywords(),
    ):
        if isinstance(message, str) and _IDENTIFIER.match(message):
            continue  # `Error(field="password")`: babel takes the keyword's value; not a message
        catalog.add(message, None, [(filename, lineno)], context=context)
    for cls in _error_classes():  # class-level defaults are plain strings
        if cls.message:
            catalog.add(cls.message, None, [("kit/errors.py", 0)])
    return catalog


def _po_path(folder: str) -> Path:
    return LOCALE_DIR / folder / "LC_MESSAGES" / "messages.po"


def update() -> None:
    template = extract()
    for folder in LOCALES.values():
        path = _po_path(folder)
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=folder)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        with path.open("wb") as handle:
            write_po(handle, catalog, omit_header=False, sort_output=True, include_lineno=False)
    print(f"{len(template)} messages; catalogues updated in {LOCALE_DIR}")


def missing_translations(folder: str = "zh_Hans") -> list[str]:
    """Message ids used in the code that the catalogue lacks or leaves untranslated or fuzzy."""
    with _po_path(folder).open("rb") as handle:
        catalog = read_po(handle, locale=folder)
    missing = []
    for message in extract():
        if not message.id:
            continue
        found = catalog.get(message.id)
        translated = (
            found is not None
            and not found.fuzzy
            and (
                all(found.string) if isinstance(found.string, tuple | list) else bool(found.string)
            )
        )
        if not translated:
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


if __name__ == "__main__":
    if sys.argv[1:] == ["--check"]:
        gaps = missing_translations()
        print("\n".join(gaps) or "zh_Hans catalogue complete")
        sys.exit(1 if gaps else 0)
    update()
