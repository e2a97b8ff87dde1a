"""JSON routes of accounts (/api/v1): sign-up, tokens, me, profiles and relations."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.accounts import access, repository, service
from redleaf.accounts.auth import require_role, require_viewer, viewer
from redleaf.accounts.export import export_download
from redleaf.accounts.limits import login_limit, signup_limits, write_limit
from redleaf.accounts.models import Account
from redleaf.accounts.schemas import (
    AccountCreate,
    AccountOut,
    AccountUpdate,
    MeOut,
    OnboardingIn,
    PasswordChange,
    PasswordConfirm,
    PersonOut,
    ProfileOut,
    RoleChange,
    TokenCreate,
    TokenCreated,
    TokenOut,
)
from redleaf.kit.pagination import Page, decode_cursor, encode_cursor, page_params
from redleaf.kit.responses import ORJSONResponse
from redleaf.kit.runtime import Runtime, get_runtime
from redleaf.kit.uow import UnitOfWorkRoute, db

router = APIRouter(prefix="/api/v1", route_class=UnitOfWorkRoute, tags=["accounts"])


def runtime_of(request: Request) -> Runtime:
    return get_runtime(request)


@router.post("/accounts", status_code=201, response_model=AccountOut, dependencies=signup_limits)
async def create_account(
    body: AccountCreate, request: Request, session: AsyncSession = Depends(db)
) -> dict[str, object]:
    account = await service.do_signup(
        session,
        runtime_of(request),
        username=body.username,
        password=body.password,
        display_name=body.display_name,
        ui_language=body.ui_language,
        region=body.region,
    )
    return service.get_me(account)


@router.post(
    "/auth/tokens", status_code=201, response_model=TokenCreated, dependencies=[login_limit]
)
async def create_token(
    body: TokenCreate, request: Request, session: AsyncSession = Depends(db)
) -> dict[str, object]:
    runtime = runtime_of(request)
    account = await service.authenticate(session, runtime, body.username, body.password)
    token, secret = await service.do_create_token(
        session,
        runtime.settings,
        account,
        kind="api",
        name=body.name or "",
        user_agent=request.headers.get("user-agent", ""),
    )
    return {"id": str(token.id), "token": secret, "name": token.name}


@router.get("/auth/tokens", response_model=list[TokenOut])
async def list_tokens(
    request: Request,
    account: Account = Depends(require_viewer),
    session: AsyncSession = Depends(db),
) -> list[dict[str, object]]:
    current = request.state.token
    return [
        {
            "id": str(t.id),
            "name": t.name,
            "kind": t.kind,
            "created_at": t.created_at,
            "last_used_at": t.last_used_at,
            "current": current is not None and t.id == current.id,
        }
        for t in await repository.tokens_of(session, account.id)
    ]


@router.delete(
    "/auth/tokens/{token_id}",
    dependencies=[Depends(write_limit)],
    status_code=204,
    response_class=Response,
)
async def revoke_token(
    token_id: str, account: Account = Depends(require_viewer), session: AsyncSession = Depends(db)
) -> Response:
    await service.do_revoke_token(session, account, token_id)
    return Response(status_code=204)


@router.get("/me", response_model=MeOut)
async def get_me(account: Account = Depends(require_viewer)) -> dict[str, object]:
    return service.get_me(account)


@router.patch("/me", response_model=MeOut, dependencies=[Depends(write_limit)])
async def update_me(
    body: AccountUpdate,
    request: Request,
    account: Account = Depends(require_viewer),
    session: AsyncSession = Depends(db),
) -> dict[str, object]:
    runtime = runtime_of(request)
    changes = body.model_dump(exclude_unset=True)
    await service.do_update_profile(session, runtime.settings, account, runtime=runtime, **changes)
    return service.get_me(account)


@router.post("/me/onboarding", response_model=MeOut, dependencies=[Depends(write_limit)])
async def onboard(
    body: OnboardingIn,
    request: Request,
    account: Account = Depends(require_viewer),
    session: AsyncSession = Depends(db),
) -> dict[str, object]:
    await service.do_onboard(
        session,
        runtime_of(request).settings,
        account,
        interests=body.interests,
        languages=body.languages,
        accept_guidelines=body.accept_guidelines,
    )
    return service.get_me(account)


@router.post(
    "/me/password", dependencies=[Depends(write_limit)], status_code=204, response_class=Response
)
async def change_password(
    body: PasswordChange,
    request: Request,
    account: Account = Depends(require_viewer),
    session: AsyncSession = Depends(db),
) -> Response:
    await service.do_change_password(
        session,
        runtime_of(request),
        account,
        current=body.current_password,
        new=body.new_password,
        current_token=request.state.token,
    )
    return Response(status_code=204)


@router.get("/me/export")
async def export_me(
    account: Account = Depends(require_viewer), session: AsyncSession = Depends(db)
) -> ORJSONResponse:
    return await export_download(session, account)


@router.delete("/me", dependencies=[Depends(write_limit)], status_code=204, response_class=Response)
async def delete_me(
    body: PasswordConfirm,
    request: Request,
    account: Account = Depends(require_viewer),
    session: AsyncSession = Depends(db),
) -> Response:
    await service.do_delete_account(session, runtime_of(request), account, body.password)
    response = Response(status_code=204)
    response.delete_cookie("redleaf_session", path="/")
    return response


@router.get("/users/{username}", response_model=ProfileOut)
async def get_user(
    username: str, me: Account | None = Depends(viewer), session: AsyncSession = Depends(db)
) -> dict[str, object]:
    target = await access.load_account(session, me, username)
    return await service.get_profile(session, me, target)


def _people_route(direction: str):  # type: ignore[no-untyped-def]
    async def people(
        username: str,
        page: tuple[str | None, int] = Depends(page_params),
        me: Account | None = Depends(viewer),
        session: AsyncSession = Depends(db),
    ) -> dict[str, object]:
        target = await access.load_account(session, me, username)
        cursor, limit = page
        after = decode_cursor(cursor, 2)
        rows = await repository.follow_page(
            session,
            target.id,
            direction=direction,
            viewer_id=me.id if me else None,
            after=(str(after[0]), int(after[1])) if after else None,
            limit=limit + 1,
        )
        items = [
            {
                "id": str(a.id),
                "username": a.username,
                "display_name": a.display_name,
                "avatar_url": service.avatar_url(a),
            }
            for a, _since in rows[:limit]
        ]
        next_cursor = None
        if len(rows) > limit:
            last, since = rows[limit - 1]
            next_cursor = encode_cursor(since.isoformat(), last.id)
        return {"items": items, "next_cursor": next_cursor}

    return people


router.add_api_route(
    "/users/{username}/followers",
    _people_route("followers"),
    methods=["GET"],
    response_model=Page[PersonOut],
    name="followers",
)
router.add_api_route(
    "/users/{username}/following",
    _people_route("following"),
    methods=["GET"],
    response_model=Page[PersonOut],
    name="following",
)


def _relation_route(action):  # type: ignore[no-untyped-def]
    async def relation(
        username: str,
        request: Request,
        me: Account = Depends(require_viewer),
        session: AsyncSession = Depends(db),
    ) -> Response:
        target = await access.load_account(session, me, username)
        await action(session, runtime_of(request), me, target)
        return Response(status_code=204)

    return relation


_RELATIONS = {
    "follow": (
        lambda s, rt, me, t: service.do_follow(s, rt, me, t),
        lambda s, rt, me, t: service.do_unfollow(s, me, t),
    ),
    "block": (
        lambda s, rt, me, t: service.do_block(s, me, t),
        lambda s, rt, me, t: service.do_unblock(s, me, t),
    ),
    "mute": (
        lambda s, rt, me, t: service.do_mute(s, me, t),
        lambda s, rt, me, t: service.do_unmute(s, me, t),
    ),
}
for _name, (_add, _remove) in _RELATIONS.items():
    for _method, _action in (("POST", _add), ("DELETE", _remove)):
        router.add_api_route(
            f"/users/{{username}}/{_name}",
            _relation_route(_action),
            methods=[_method],
            status_code=204,
            response_class=Response,
            dependencies=[Depends(write_limit)],
            name=f"{_method.lower()}_{_name}",
        )


@router.post(
    "/admin/accounts/{username}/role",
    response_model=ProfileOut,
    dependencies=[Depends(write_limit)],
)
async def set_role(
    username: str,
    body: RoleChange,
    admin: Account = Depends(require_role("admin")),
    session: AsyncSession = Depends(db),
) -> dict[str, object]:
    target = await access.load_account(session, admin, username)
    await service.do_set_role(session, target, body.role)
    return await service.get_profile(session, admin, target)
