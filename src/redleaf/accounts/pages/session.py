"""Sign-up, login, logout and onboarding pages."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.responses import Response

from redleaf.accounts import service
from redleaf.accounts.auth import viewer
from redleaf.accounts.limits import login_limit, signup_limits, write_limit
from redleaf.accounts.models import Account
from redleaf.accounts.pages.common import (
    end_session,
    login_redirect,
    new_session_secret,
    start_session,
)
from redleaf.accounts.vocab import INTERESTS, LANGUAGES
from redleaf.kit.errors import AppError, SurgeQueued
from redleaf.kit.i18n import get_locale
from redleaf.kit.runtime import get_runtime
from redleaf.kit.uow import UnitOfWorkRoute, db
from redleaf.web.forms import (
    checked,
    choices,
    csrf_form,
    field_errors,
    page,
    redirect,
    remember_language,
    safe_next,
    text,
    undo,
)

router = APIRouter(route_class=UnitOfWorkRoute)

SIGNUP_FIELDS = ("username", "display_name", "password", "ui_language")


def _signup_page(
    request: Request, values: dict[str, str], errors: dict[str, str], status: int = 200
) -> Response:
    limits = get_runtime(request).settings
    return page(
        request,
        "accounts/signup.html",
        {"values": values, "errors": errors, "limits": limits},
        status_code=status,
    )


@router.get("/signup")
async def signup_form(request: Request, me: Account | None = Depends(viewer)) -> Response:
    if me is not None:
        return redirect(request, "/")
    return _signup_page(request, {"ui_language": get_locale()}, {})


@router.post("/signup", dependencies=[Depends(csrf_form), *signup_limits])
async def signup(
    request: Request, form: FormData = Depends(csrf_form), session: AsyncSession = Depends(db)
) -> Response:
    runtime = get_runtime(request)
    values = {name: text(form, name) for name in ("username", "display_name", "ui_language")}
    try:
        account = await service.do_signup(
            session,
            runtime,
            username=values["username"],
            password=text(form, "password"),
            display_name=values["display_name"] or None,
            ui_language=values["ui_language"] or None,
        )
        secret = await new_session_secret(request, session, account)
    except SurgeQueued:
        raise  # the surge page re-posts what was typed
    except AppError as error:
        await undo(session)
        return _signup_page(request, values, field_errors(error, SIGNUP_FIELDS), error.status)
    response = redirect(request, "/onboarding", notice="welcome")
    start_session(request, response, secret)
    # The language picked on the form is the one the new member sees from now on.
    remember_language(request, response, account.ui_language)
    return response


def _login_page(
    request: Request,
    username: str,
    next_path: str,
    errors: dict[str, str],
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    return page(
        request,
        "accounts/login.html",
        {"username": username, "next": next_path, "errors": errors},
        status_code=status,
        headers=headers,
    )


@router.get("/login")
async def login_form(
    request: Request,
    next: str = Query(default="/", max_length=2000),
    me: Account | None = Depends(viewer),
) -> Response:
    target = safe_next(next)
    if me is not None:
        return redirect(request, target)
    return _login_page(request, "", target, {})


@router.post("/login", dependencies=[Depends(csrf_form), login_limit])
async def login(
    request: Request, form: FormData = Depends(csrf_form), session: AsyncSession = Depends(db)
) -> Response:
    runtime = get_runtime(request)
    username = text(form, "username")
    target = safe_next(text(form, "next"))
    try:
        account = await service.authenticate(session, runtime, username, text(form, "password"))
        secret = await new_session_secret(request, session, account)
    except SurgeQueued:
        raise
    except AppError as error:
        await undo(session)
        errors = {"form": error.translated()}
        return _login_page(request, username, target, errors, error.status, error.headers)
    response = redirect(request, target)
    start_session(request, response, secret)
    return response


@router.post("/logout", dependencies=[Depends(csrf_form)])
async def logout(
    request: Request, me: Account | None = Depends(viewer), session: AsyncSession = Depends(db)
) -> Response:
    token = getattr(request.state, "token", None)
    if me is not None and token is not None and request.state.auth_kind == "session":
        await service.do_revoke_token(session, me, str(token.id))
    response = redirect(request, "/", notice="logged_out")
    end_session(request, response)
    return response


def _onboarding_page(
    request: Request,
    interests: list[str],
    languages: list[str],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    context = {
        "interest_choices": INTERESTS,
        "language_choices": LANGUAGES,
        "interests": interests,
        "languages": languages,
        "errors": errors,
    }
    return page(request, "accounts/onboarding.html", context, status_code=status)


@router.get("/onboarding")
async def onboarding_form(request: Request, me: Account | None = Depends(viewer)) -> Response:
    if me is None:
        return login_redirect(request)
    return _onboarding_page(request, list(me.interests), list(me.languages), {})


@router.post("/onboarding", dependencies=[Depends(csrf_form), Depends(write_limit)])
async def onboard(
    request: Request,
    form: FormData = Depends(csrf_form),
    me: Account | None = Depends(viewer),
    session: AsyncSession = Depends(db),
) -> Response:
    assert me is not None  # write_limit requires a member
    interests, languages = choices(form, "interests"), choices(form, "languages")
    try:
        await service.do_onboard(
            session,
            get_runtime(request).settings,
            me,
            interests=interests,
            languages=languages,
            accept_guidelines=checked(form, "accept_guidelines"),
        )
    except AppError as error:
        await undo(session, me)
        fields = ("interests", "languages", "accept_guidelines")
        return _onboarding_page(
            request, interests, languages, field_errors(error, fields), error.status
        )
    return redirect(request, "/")
