"""Server-rendered pages: one Jinja2 environment for the base templates and every feature's.

Templates are autoescaped and translated with `_()` / `{% trans %}` through the request's locale.
A feature's templates are addressed by its name: `render(request, "accounts/login.html", ...)`
loads `src/redleaf/accounts/templates/login.html`.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse

from redleaf.kit import csrf
from redleaf.kit.i18n import LOCALE_NAMES, get_locale, gettext, ngettext
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


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
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
    env.globals["locale_names"] = LOCALE_NAMES
    return env


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
    runtime = get_runtime(request)
    token = csrf.token_for(request, runtime.settings.resolved_secret_key)
    values = {
        "request": request,
        "viewer": getattr(request.state, "viewer", None),
        "locale": get_locale(),
        "csrf_token": token,
        "csrf_field": csrf.CSRF_FIELD,
        "path": request.url.path,
        **(context or {}),
    }
    html = environment().get_template(template).render(values)
    response = HTMLResponse(html, status_code=status_code, headers=headers)
    response.headers["cache-control"] = "no-store"
    if getattr(request.state, "new_csrf", None):
        set_cookie(request, response, csrf.CSRF_COOKIE, request.state.new_csrf, max_age=None)
    return response


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
