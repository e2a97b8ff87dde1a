"""Business rules of accounts: `check_*` validates, `do_*` changes and emits, `get_*` reads.

Nothing here commits: the request (or CLI command) that called it does.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from datetime import datetime, timedelta
from functools import cache

from babel import Locale
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.accounts import passwords, repository
from redleaf.accounts.models import ROLES, Account, AuthToken
from redleaf.accounts.vocab import INTERESTS, LANGUAGES, RESERVED_USERNAMES, UI_LANGUAGES
from redleaf.kit.db import commit, utcnow
from redleaf.kit.errors import AppError, Conflict, Forbidden, InvalidInput, NotFound, RateLimited
from redleaf.kit.events import publish_on_commit
from redleaf.kit.i18n import lazy
from redleaf.kit.runtime import Runtime
from redleaf.notifications import service as notifications
from redleaf.settings import Settings
from redleaf.translation.detect import detect_lang

EXPORT_FORMAT = "redleaf-export/1"
USERNAME_RE = re.compile(r"^[a-z0-9_]+$")


class InvalidCredentials(AppError):
    status = 401
    code = "invalid_credentials"
    message = "That username and password do not match."


class AccountSuspended(Forbidden):
    code = "account_suspended"
    message = "This account is suspended."


# --- checks -----------------------------------------------------------------------------------


def normalise_username(raw: str) -> str:
    return raw.strip().lstrip("@").lower()


def check_username(settings: Settings, username: str) -> None:
    if not (settings.username_min_length <= len(username) <= settings.username_max_length):
        raise InvalidInput(
            "A username has %(min)s to %(max)s characters.",
            code="invalid_username",
            field="username",
            min=settings.username_min_length,
            max=settings.username_max_length,
        )
    if not USERNAME_RE.match(username):
        raise InvalidInput(
            "A username uses only the letters a–z, digits and underscores.",
            code="invalid_username",
            field="username",
        )
    if username in RESERVED_USERNAMES:
        raise Conflict("That username is taken.", code="username_taken", field="username")


def clean_text(value: str, *, field: str, max_length: int, multiline: bool = False) -> str:
    """NFC-normalise, trim, and refuse control characters and over-long text."""
    text = unicodedata.normalize("NFC", value).strip()
    allowed = {"\n"} if multiline else set()
    text = text.replace("\r\n", "\n")
    for char in text:
        if char not in allowed and unicodedata.category(char) in ("Cc", "Cs", "Co", "Cn"):
            raise InvalidInput(
                "This text contains characters that are not allowed.",
                code="invalid_characters",
                field=field,
            )
    if len(text) > max_length:
        raise InvalidInput(
            "Use at most %(max)s characters.", code="too_long", field=field, max=max_length
        )
    return text


def check_display_name(settings: Settings, value: str) -> str:
    return clean_text(value, field="display_name", max_length=settings.display_name_max_length)


def check_ui_language(value: str) -> str:
    if value not in UI_LANGUAGES:
        raise InvalidInput(
            "Choose English (en) or Simplified Chinese (zh-Hans).",
            code="invalid_language",
            field="ui_language",
        )
    return value


def check_choices(
    values: list[str], allowed: dict[str, str], *, field: str, limit: int
) -> list[str]:
    unique = list(dict.fromkeys(values))
    if len(unique) > limit:
        raise InvalidInput("Choose at most %(max)s.", code="too_many", field=field, max=limit)
    unknown = [value for value in unique if value not in allowed]
    if unknown:
        raise InvalidInput(
            "Unknown choice: %(value)s", code="invalid_choice", field=field, value=unknown[0][:40]
        )
    return unique


# Babel names groupings and pseudo-locales beside places (EU, UN, XA...): nowhere a member lives.
_NOT_PLACES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})


@cache
def region_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes Babel knows as territories (numeric groupings such as 001 and
    419 are not alpha-2, so they fall out)."""
    codes = (code for code in Locale("en").territories if isinstance(code, str))
    return frozenset(c for c in codes if len(c) == 2 and c.isalpha() and c not in _NOT_PLACES)


def check_region(value: str) -> str:
    """The region as stored: a known code, upper-cased (moderation rules match it exactly), or
    "" when the member does not say."""
    code = value.strip().upper()
    if code and code not in region_codes():
        raise InvalidInput(
            "Unknown region: %(value)s. Use a two-letter code such as CN or US, or leave it empty.",
            code="invalid_region",
            field="region",
            value=value[:10],
        )
    return code


# --- sign-up, sign-in, tokens ---------------------------------------------------------------------


async def do_signup(
    session: AsyncSession,
    runtime: Runtime,
    *,
    username: str,
    password: str,
    display_name: str | None = None,
    ui_language: str | None = None,
    region: str | None = None,
) -> Account:
    settings = runtime.settings
    username = normalise_username(username)
    check_username(settings, username)
    name = check_display_name(settings, display_name) if display_name else ""
    language = check_ui_language(ui_language) if ui_language else "en"
    where = check_region(region) if region else ""
    passwords.check_password(settings, password, username)
    # Hash first, touch the database after: a request waiting for the hash pool holds no
    # database connection (in a sign-up surge the pool ran dry and requests timed out), and one
    # checkout a sign-up is cheaper than two. A taken name costs a wasted hash, which the
    # per-IP sign-up limit bounds.
    password_hash = await passwords.hash_password(settings, runtime.hash_pool, password)
    if await repository.username_taken(session, username):
        raise Conflict("That username is taken.", code="username_taken", field="username")
    account = Account(
        username=username,
        display_name=name or username,
        password_hash=password_hash,
        ui_language=language,
        languages=["zh"] if language == "zh-Hans" else ["en"],
        region=where,
    )
    session.add(account)
    try:
        await session.flush()
    except IntegrityError:  # two sign-ups raced for one name: the loser hears it plainly
        raise Conflict("That username is taken.", code="username_taken", field="username") from None
    return account


_dummy_hash: str | None = None


async def _equalise_timing(runtime: Runtime, password: str) -> None:
    global _dummy_hash
    settings = runtime.settings
    if _dummy_hash is None:
        _dummy_hash = await passwords.hash_password(
            settings, runtime.hash_pool, passwords.DUMMY_PASSWORD
        )
    await passwords.verify_password(settings, runtime.hash_pool, _dummy_hash, password)


def _backoff_seconds(settings: Settings, failures: int) -> float:
    over = failures - settings.login_backoff_after
    if over < 0:
        return 0.0
    return min(settings.login_backoff_base_seconds * 2**over, settings.login_backoff_max_seconds)


async def authenticate(
    session: AsyncSession, runtime: Runtime, username: str, password: str
) -> Account:
    """The account for these credentials, with a growing back-off after repeated failures."""
    settings = runtime.settings
    # Looked up on a short-lived connection: none is held while the hash runs.
    async with runtime.sessions() as lookup:
        found = await repository.by_username(lookup, normalise_username(username)[:100])
    if found is None:
        await _equalise_timing(runtime, password)
        raise InvalidCredentials(field="password")
    now = utcnow()
    blocked_until = found.login_blocked_until
    if settings.rate_limits_enabled and blocked_until and blocked_until > now:
        raise RateLimited(
            (blocked_until - now).total_seconds(),
            "Too many failed attempts. Please try again in %(seconds)s seconds.",
            code="login_backoff",
        )
    pool = runtime.hash_pool
    if not await passwords.verify_password(settings, pool, found.password_hash, password):
        wait = _backoff_seconds(settings, found.failed_logins + 1)
        # Recorded in a transaction of its own: this request ends in an error and rolls back,
        # but the failure must be remembered.
        async with runtime.sessions() as own:
            await repository.record_failed_login(
                own, found.id, now + timedelta(seconds=wait) if wait else None
            )
            await commit(own)
        raise InvalidCredentials(field="password")
    account = await session.get(Account, found.id)
    if account is None:  # deleted while the hash ran
        raise InvalidCredentials(field="password")
    if account.state == "suspended" and not await _suspension_over(session, account):
        raise AccountSuspended()
    account.failed_logins = 0
    account.login_blocked_until = None
    if passwords.needs_rehash(settings, account.password_hash):
        account.password_hash = await passwords.hash_password(settings, pool, password)
    return account


async def _suspension_over(session: AsyncSession, account: Account) -> bool:
    """A suspension whose time is up ends at the next sign-in (its job may not have run yet)."""
    from redleaf.moderation.enforce import lift_expired  # moderation imports accounts

    return await lift_expired(session, account.id)


async def do_create_token(
    session: AsyncSession,
    settings: Settings,
    account: Account,
    *,
    kind: str,
    name: str = "",
    user_agent: str = "",
) -> tuple[AuthToken, str]:
    """A new session or API token. The secret is returned once and only its hash is kept."""
    if kind == "api":
        name = clean_text(name or "API", field="name", max_length=settings.token_name_max_length)
        if await repository.count_api_tokens(session, account.id) >= settings.api_tokens_max:
            raise Conflict(
                "You have reached the limit of %(max)s API tokens. Revoke one first.",
                code="too_many_tokens",
                max=settings.api_tokens_max,
            )
        secret = "rl_" + secrets.token_urlsafe(32)
        expires = None
    else:
        secret = secrets.token_urlsafe(32)
        expires = utcnow() + timedelta(days=settings.session_days)
    token = AuthToken(
        account_id=account.id,
        kind=kind,
        secret_hash=repository.secret_hash(secret),
        name=name,
        user_agent=user_agent[:300],
        expires_at=expires,
        last_used_at=utcnow(),
    )
    session.add(token)
    await session.flush()
    if kind == "session":
        from redleaf.accounts.jobs import schedule_daily_purge

        await schedule_daily_purge(session)
    return token, secret


async def get_token_account(
    session: AsyncSession, secret: str, kind: str
) -> tuple[Account, AuthToken] | None:
    if not secret or len(secret) > 200:
        return None
    token = await repository.token_by_secret(session, secret, kind)
    if token is None:
        return None
    now = utcnow()
    if token.expires_at is not None and token.expires_at < now:
        return None
    account = await repository.by_id(session, token.account_id)
    if account is None or account.state == "suspended":
        return None
    # Touch at most hourly: a write on every request would serialise SQLite for nothing.
    if token.last_used_at is None or now - token.last_used_at > timedelta(hours=1):
        token.last_used_at = now
    return account, token


async def do_revoke_token(session: AsyncSession, account: Account, token_id: str) -> None:
    """Revoke one of the member's tokens by its public id (a string, as clients send it)."""
    valid = token_id.isdigit() and len(token_id) <= 19 and int(token_id) < 2**63
    token = await session.get(AuthToken, int(token_id)) if valid else None
    if token is None or token.account_id != account.id:
        raise NotFound("We could not find that token.", code="token_not_found")
    await session.delete(token)
    await session.flush()


# --- profile and settings -----------------------------------------------------------------------


async def do_update_profile(
    session: AsyncSession,
    settings: Settings,
    account: Account,
    *,
    display_name: str | None = None,
    bio: str | None = None,
    ui_language: str | None = None,
    languages: list[str] | None = None,
    interests: list[str] | None = None,
    auto_translate: bool | None = None,
    region: str | None = None,
    runtime: Runtime | None = None,
) -> Account:
    """Change what the member asked to change. With `runtime`, a new name or bio passes
    moderation first (members' own edits; the demo seeder passes none)."""
    before = (account.display_name, account.bio)
    if display_name is not None:
        account.display_name = check_display_name(settings, display_name) or account.username
    if bio is not None:
        account.bio = clean_text(
            bio, field="bio", max_length=settings.bio_max_length, multiline=True
        )
        account.bio_lang = detect_lang(account.bio)
    if ui_language is not None:
        account.ui_language = check_ui_language(ui_language)
    if languages is not None:
        account.languages = check_choices(
            languages, LANGUAGES, field="languages", limit=settings.languages_max
        )
    if interests is not None:
        account.interests = check_choices(
            interests, INTERESTS, field="interests", limit=settings.interests_max
        )
    if auto_translate is not None:
        account.auto_translate = auto_translate
    if region is not None:
        account.region = check_region(region)
    await session.flush()
    if runtime is not None and (account.display_name, account.bio) != before:
        await _screen_profile(session, runtime, account)
    return account


async def _screen_profile(session: AsyncSession, runtime: Runtime, account: Account) -> None:
    from redleaf.moderation import screening  # moderation imports accounts

    text = f"{account.display_name}\n{account.bio}"
    verdict = await screening.check(session, runtime, account, "profile", text)
    await screening.after_store(
        session, runtime, account, verdict, target_type="user", target_id=account.id
    )


async def do_onboard(
    session: AsyncSession,
    settings: Settings,
    account: Account,
    *,
    interests: list[str],
    languages: list[str],
    accept_guidelines: bool,
) -> Account:
    if not accept_guidelines:
        raise InvalidInput(
            "Please read and accept the community guidelines to continue.",
            code="guidelines_not_accepted",
            field="accept_guidelines",
        )
    await do_update_profile(
        session, settings, account, interests=interests, languages=languages or account.languages
    )
    now = utcnow()
    account.guidelines_accepted_at = account.guidelines_accepted_at or now
    account.onboarded_at = account.onboarded_at or now
    await session.flush()
    return account


async def do_change_password(
    session: AsyncSession,
    runtime: Runtime,
    account: Account,
    *,
    current: str,
    new: str,
    current_token: AuthToken | None,
) -> None:
    settings = runtime.settings
    if not await passwords.verify_password(
        settings, runtime.hash_pool, account.password_hash, current
    ):
        raise InvalidInput(
            "Your current password is not right.", code="wrong_password", field="current_password"
        )
    passwords.check_password(settings, new, account.username, field="new_password")
    account.password_hash = await passwords.hash_password(settings, runtime.hash_pool, new)
    account.password_changed_at = utcnow()
    # Whoever knew the old password is signed out everywhere else.
    keep = (
        current_token.id if current_token is not None and current_token.kind == "session" else None
    )
    await repository.delete_sessions_except(session, account.id, keep)
    await session.flush()


async def do_delete_account(
    session: AsyncSession, runtime: Runtime, account: Account, password: str
) -> None:
    settings = runtime.settings
    if not await passwords.verify_password(
        settings, runtime.hash_pool, account.password_hash, password
    ):
        raise InvalidInput("Your password is not right.", code="wrong_password", field="password")
    # Imported here: notes build on accounts, not the other way round, except for this one call.
    from redleaf.notes.service import do_forget_member

    await do_forget_member(session, account)
    from redleaf.search.jobs import schedule_author  # their notes leave the search index

    await schedule_author(session, account.id)
    # Tokens, relations, notes, likes, comments and notifications go with it (ON DELETE CASCADE).
    await session.delete(account)
    await session.flush()


async def do_set_role(session: AsyncSession, account: Account, role: str) -> Account:
    if role not in ROLES:
        raise InvalidInput(
            "A role is member, moderator or admin.", code="invalid_role", field="role"
        )
    account.role = role
    await session.flush()
    return account


# --- relations ----------------------------------------------------------------------------------


def _not_self(viewer: Account, target: Account, message: str) -> None:
    if viewer.id == target.id:
        raise InvalidInput(message, code="self_relation")


async def do_follow(
    session: AsyncSession, runtime: Runtime, viewer: Account, target: Account
) -> None:
    _not_self(viewer, target, lazy("You cannot follow yourself."))
    relation = await repository.relationship(session, viewer.id, target.id)
    if relation["blocking"]:
        raise Conflict(
            "You have blocked this member. Unblock them first.", code="blocking", field="username"
        )
    if await repository.blocked_either_way(session, viewer.id, target.id):
        raise NotFound("We could not find that member.", code="account_not_found")
    if await repository.add_follow(session, viewer.id, target.id):
        publish_on_commit(
            session,
            runtime.events,
            f"account:{target.id}",
            {"type": "follow", "follower": viewer.username, "followee": target.username},
        )
        await notifications.do_notify(
            session, runtime, recipient_id=target.id, kind="follow", actor_id=viewer.id
        )


async def do_unfollow(session: AsyncSession, viewer: Account, target: Account) -> None:
    await repository.remove_follow(session, viewer.id, target.id)
    await notifications.do_withdraw(
        session, recipient_id=target.id, kind="follow", actor_id=viewer.id
    )


async def do_block(session: AsyncSession, viewer: Account, target: Account) -> None:
    _not_self(viewer, target, lazy("You cannot block yourself."))
    await repository.add_block(session, viewer.id, target.id)


async def do_unblock(session: AsyncSession, viewer: Account, target: Account) -> None:
    await repository.remove_block(session, viewer.id, target.id)


async def do_mute(session: AsyncSession, viewer: Account, target: Account) -> None:
    _not_self(viewer, target, lazy("You cannot mute yourself."))
    await repository.add_mute(session, viewer.id, target.id)


async def do_unmute(session: AsyncSession, viewer: Account, target: Account) -> None:
    await repository.remove_mute(session, viewer.id, target.id)


# --- reads --------------------------------------------------------------------------------------


def avatar_url(account: Account) -> str:
    return f"/u/{account.username}/avatar.svg"


async def get_profile(
    session: AsyncSession, viewer: Account | None, target: Account
) -> dict[str, object]:
    profile: dict[str, object] = {
        "id": str(target.id),
        "username": target.username,
        "display_name": target.display_name,
        "bio": target.bio,
        "bio_lang": target.bio_lang,
        "avatar_url": avatar_url(target),
        "role": target.role,
        "languages": target.languages,
        "created_at": target.created_at,
        "counts": await repository.follow_counts(session, target.id),
        "relationship": None,
    }
    if viewer is not None and viewer.id != target.id:
        profile["relationship"] = await repository.relationship(session, viewer.id, target.id)
    return profile


def get_me(account: Account) -> dict[str, object]:
    return {
        "id": str(account.id),
        "username": account.username,
        "display_name": account.display_name,
        "ui_language": account.ui_language,
        "bio": account.bio,
        "languages": account.languages,
        "auto_translate": account.auto_translate,
        "interests": account.interests,
        "region": account.region,
        "role": account.role,
        "avatar_url": avatar_url(account),
        "onboarded": account.onboarded_at is not None,
        "guidelines_accepted": account.guidelines_accepted_at is not None,
        "created_at": account.created_at,
    }


async def get_export(session: AsyncSession, account: Account) -> dict[str, object]:
    """Everything we hold about the member, as one JSON document (GDPR art. 20)."""
    tokens = await repository.tokens_of(session, account.id)
    return {
        "format": EXPORT_FORMAT,
        "exported_at": utcnow().isoformat(),
        "account": {
            **get_me(account),
            "created_at": account.created_at.isoformat(),
            "password_changed_at": account.password_changed_at.isoformat(),
            "onboarded_at": _iso(account.onboarded_at),
            "guidelines_accepted_at": _iso(account.guidelines_accepted_at),
        },
        "tokens": [
            {
                "kind": t.kind,
                "name": t.name,
                "created_at": t.created_at.isoformat(),
                "last_used_at": _iso(t.last_used_at),
            }
            for t in tokens
        ],
        **await repository.export_rows(session, account.id),
    }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
