"""Server-rendered pages: one Jinja2 environment for the base templates and every feature's.

Templates are autoescaped and translated with `_()` / `{% trans %}` through the request's locale.
A feature's templates are addressed by its name: `render(request, "accounts/login.html", ...)`
loads `src/redleaf/accounts/templates/login.html`.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from redleaf.kit import csrf
from redleaf.kit.i18n import LOCALE_NAMES, catalogue, get_locale, gettext, ngettext
from redleaf.kit.runtime import get_runtime

PACKAGE_DIR = Path(__file__).resolve().parent.parent
WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"


def _feature_loaders() -> dict[str, jinja2.BaseLoader]:
    return {
        child.name: jinja2.FileSystemLoader(child / "templates")
        for child in sorted(PACKAGE_DIR.iterdir())
        if child.is_dir() and child.name != "web" and (child / "templates").is_dir()
    }


# The interface's icons (24×24, stroked or filled by CSS). A Python function rather than a Jinja
# macro: a page draws a dozen of them, and a macro call cost ~30 µs against ~1 µs for this.
_SVG = '<svg class="{cls}" viewBox="0 0 24 24" aria-hidden="true" focusable="false">{body}</svg>'
_ICON_PATHS = {
    "home": '<path d="M3 10.5 12 3l9 7.5V20a1 1 0 0 1-1 1h-5v-6h-6v6H4a1 1 0 0 1-1-1z"/>',
    "following": '<path d="M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM2 21v-1a6 6 0 0 1 12 0v1'
    'M16 3.2a4 4 0 0 1 0 7.6M22 21v-1a6 6 0 0 0-4-5.6"/>',
    "chat": '<path d="M21 12a8.5 8.5 0 0 1-12.3 7.6L3 21l1.5-5.2A8.5 8.5 0 1 1 21 12z"/>',
    "plus": '<path d="M12 5v14M5 12h14"/>',
    "bell": '<path d="M6 9a6 6 0 1 1 12 0c0 6.5 2.5 8 2.5 8h-17S6 15.5 6 9M10.2 20.5a2 2 0 0 0 '
    '3.6 0"/>',
    "me": '<path d="M12 12a4.5 4.5 0 1 0 0-9 4.5 4.5 0 0 0 0 9zM3.5 21a8.5 8.5 0 0 1 17 0"/>',
    "search": '<path d="M10.5 18a7.5 7.5 0 1 0 0-15 7.5 7.5 0 0 0 0 15zM21 21l-5.2-5.2"/>',
    "globe": '<path d="M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM3 12h18'
    'M12 3c2.5 2.6 3.7 5.6 3.7 9s-1.2 6.4-3.7 9c-2.5-2.6-3.7-5.6-3.7-9S9.5 5.6 12 3z"/>',
    "notes": '<path d="M6 3h9l4 4v14H6zM14 3v5h5M9 13h7M9 17h5"/>',
    "collect": '<path d="M12 3.5l2.6 5.3 5.9.9-4.3 4.1 1 5.8L12 16.9l-5.2 2.7 1-5.8-4.3-4.1 '
    '5.9-.9z"/>',
    "board": '<path d="M4 5h7v7H4zM13 5h7v4h-7zM13 11h7v8h-7zM4 14h7v5H4z"/>',
    "clock": '<path d="M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM12 7v5l3.5 2"/>',
    "more": '<path d="M5 12h.01M12 12h.01M19 12h.01"/>',
}
# Icons with a class of their own (CSS fills the heart of a liked note, and so on).
_OWN_CLASS = {
    "heart": '<path d="M12 20.5s-7.5-4.6-9.3-9.6C1.6 7.6 3.8 4.5 7 4.5c2 0 3.6 1.1 5 3'
    ' 1.4-1.9 3-3 5-3 3.2 0 5.4 3.1 4.3 6.4-1.8 5-9.3 9.6-9.3 9.6z"/>',
    "play": '<path d="M8 5.5v13l11-6.5z"/>',
    "pin": '<path d="M12 21s-6.5-5.6-6.5-11a6.5 6.5 0 0 1 13 0c0 5.4-6.5 11-6.5 11z"/>'
    '<circle cx="12" cy="10" r="2.3"/>',
}
_SHARE = '<path d="M12 3v12M7.5 7.5 12 3l4.5 4.5M5 12v7a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2v-7"/>'
ICONS: dict[str, Markup] = {
    **{name: Markup(_SVG.format(cls="icon", body=body)) for name, body in _ICON_PATHS.items()},
    **{
        name: Markup(_SVG.format(cls=f"icon icon-{name}", body=body))
        for name, body in _OWN_CLASS.items()
    },
    "share": Markup(_SVG.format(cls="icon", body=_SHARE)),
}
_NO_ICON = Markup(_SVG.format(cls="icon", body=""))


def icon(name: str) -> Markup:
    """`{{ icon("collect") }}`: the inline SVG of an interface icon (an unknown name draws an
    empty one, as the macro it replaces did)."""
    return ICONS.get(name, _NO_ICON)


_DICT_ATTRIBUTES = frozenset(dir(dict))


class _Environment(jinja2.Environment):
    """Jinja's environment with a quicker `a.b` on dicts, which is most of what pages show (the
    API's JSON shapes): Jinja tries the attribute first, and the AttributeError it catches for
    every `note.title` cost a note page ~0.2 ms. A key that is also a dict attribute (`items`,
    `get`, ...) still means the attribute, as before."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


@jinja2.pass_context
def _offers_translation(context: Any, lang: str) -> bool:
    """Whether the page's reader gets a Translate button for text in `lang`."""
    from redleaf.translation.service import offers_translation

    return offers_translation(lang, context.get("viewer"))


@jinja2.pass_context
def _translation_target(context: Any) -> str:
    """The language the page's reader gets translations in (the page's own language)."""
    from redleaf.translation.service import reader_target

    return reader_target(None)  # None: the page's language, which a cookie may set


@jinja2.pass_context
def _translation_reads(context: Any) -> str:
    """The languages the page's reader reads, for scripts that add content ("en zh")."""
    from redleaf.translation.service import reader_languages

    return " ".join(dict.fromkeys(reader_languages(context.get("viewer"))))


@cache
def environment() -> jinja2.Environment:
    env = _Environment(
        loader=jinja2.ChoiceLoader(
            [
                jinja2.FileSystemLoader(WEB_DIR / "templates"),
                jinja2.PrefixLoader(_feature_loaders()),
            ]
        ),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        lambda message: gettext(message),
        lambda singular, plural, n: ngettext(singular, plural, n),
        newstyle=True,
    )
    env.globals["static"] = static_url
    env.globals["icon"] = icon
    env.globals["locale_names"] = LOCALE_NAMES
    env.globals["offers_translation"] = _offers_translation
    env.globals["translation_target"] = _translation_target
    env.globals["translation_reads"] = _translation_reads
    return env


@cache
def _translators(locale: str) -> tuple[Callable[..., Markup], Callable[..., Markup]]:
    """`_()`/`gettext()` and `ngettext()` bound to one locale's catalogue, with Jinja's newstyle
    semantics (escaped, always %-formatted). A page renders in one locale, so `render()` hands
    these to the template instead of the environment's, which look the locale up and pass
    through two more layers of Jinja calls for each of a page's ~40 strings."""
    book = catalogue(locale)

    def translate(string: str, **variables: Any) -> Markup:
        return Markup(book.gettext(string)) % variables

    def ntranslate(singular: str, plural: str, num: int, **variables: Any) -> Markup:
        variables.setdefault("num", num)
        return Markup(book.ngettext(singular, plural, num)) % variables

    return translate, ntranslate


@cache
def _static_version(path: str) -> str:
    file = STATIC_DIR / path
    return hashlib.sha256(file.read_bytes()).hexdigest()[:10] if file.is_file() else "0"


def static_url(path: str) -> str:
    """A cache-busting URL: the content hash changes whenever the file does."""
    return f"/static/{path}?v={_static_version(path)}"


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    token = csrf.token_for(request, get_runtime(request).settings.resolved_secret_key)
    html = environment().get_template(template).render(_values(request, token, context))
    return _respond(request, html, status_code, headers)


def _values(request: Request, token: str, context: dict[str, Any] | None) -> dict[str, Any]:
    locale = get_locale()
    translate, ntranslate = _translators(locale)
    return {
        "_": translate,
        "gettext": translate,
        "ngettext": ntranslate,
        "request": request,
        "viewer": getattr(request.state, "viewer", None),
        "locale": locale,
        "csrf_token": token,
        "csrf_field": csrf.CSRF_FIELD,
        # The hidden field every POST form carries, built once per page rather than per form.
        "csrf_input": Markup('<input type="hidden" name="{}" value="{}">').format(
            csrf.CSRF_FIELD, token
        ),
        "path": request.url.path,
        **(context or {}),
    }


def _respond(
    request: Request, html: str, status_code: int, headers: dict[str, str] | None
) -> HTMLResponse:
    response = HTMLResponse(html, status_code=status_code, headers=headers)
    response.headers["cache-control"] = "no-store"
    if getattr(request.state, "new_csrf", None):
        set_cookie(request, response, csrf.CSRF_COOKIE, request.state.new_csrf, max_age=None)
    return response


# --- pages drawn once for every anonymous reader ------------------------------------------------

# Stands for the reader's CSRF token in a shared page: random per process, so no text a member
# writes can contain it, and only [A-Za-z0-9_-], so escaping leaves it as it is.
_SHARED_TOKEN = "csrf-" + secrets.token_urlsafe(24)


def render_shared(request: Request, template: str, context: dict[str, Any] | None = None) -> str:
    """The page as any anonymous reader of this URL gets it, for a cache: the same as `render()`
    but with a placeholder where the reader's CSRF token goes (`respond_shared` fills it)."""
    return environment().get_template(template).render(_values(request, _SHARED_TOKEN, context))


def respond_shared(
    request: Request, html: str, *, status_code: int = 200, headers: dict[str, str] | None = None
) -> HTMLResponse:
    token = csrf.token_for(request, get_runtime(request).settings.resolved_secret_key)
    return _respond(request, html.replace(_SHARED_TOKEN, escape(token)), status_code, headers)


def is_https(request: Request) -> bool:
    runtime = get_runtime(request)
    if runtime.settings.base_url:
        return runtime.settings.base_url.startswith("https://")
    return request.url.scheme == "https"


def set_cookie(
    request: Request, response: Any, name: str, value: str, *, max_age: int | None
) -> None:
    """Every cookie we set is HttpOnly and SameSite=Lax, and Secure whenever we are behind HTTPS."""
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=is_https(request),
        path="/",
    )
