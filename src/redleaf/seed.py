"""Demo data for a first run: a few members of both language communities who follow each other."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import func, select

from redleaf.accounts import repository, service
from redleaf.accounts.models import Account
from redleaf.kit.db import commit
from redleaf.kit.runtime import Runtime
from redleaf.settings import Settings

DEMO_PASSWORD = "redleaf-demo-2026"


class DemoMember(NamedTuple):
    username: str
    display_name: str
    ui_language: str
    bio: str
    languages: list[str]
    interests: list[str]


DEMO_ACCOUNTS: list[DemoMember] = [
    DemoMember(
        username="lily",
        display_name="莉莉 Lily",
        ui_language="zh-Hans",
        bio="成都人，火锅和川菜爱好者 🌶️ 分享我的周末探店。",
        languages=["zh", "en"],
        interests=["food", "travel"],
    ),
    DemoMember(
        username="jake",
        display_name="Jake from Ohio",
        ui_language="en",
        bio="New here from TikTok. Learning Chinese one hotpot at a time.",
        languages=["en"],
        interests=["food", "fitness", "music"],
    ),
    DemoMember(
        username="mei",
        display_name="小美",
        ui_language="zh-Hans",
        bio="护肤成分党｜敏感肌｜只说真话",
        languages=["zh"],
        interests=["skincare", "makeup"],
    ),
    DemoMember(
        username="sam",
        display_name="Sam ✈️",
        ui_language="en",
        bio="Backpacking Yunnan this winter. Ask me about Dali!",
        languages=["en", "zh"],
        interests=["travel", "photography", "outdoors"],
    ),
]

DEMO_FOLLOWS = [
    ("jake", "lily"),
    ("lily", "jake"),
    ("sam", "lily"),
    ("mei", "lily"),
    ("jake", "mei"),
]


async def seed_demo(settings: Settings, *, if_empty: bool) -> list[str]:
    runtime = Runtime.build(settings)
    try:
        async with runtime.sessions() as session:
            if if_empty and await session.scalar(select(func.count()).select_from(Account)):
                return []
            made: dict[str, Account] = {}
            for spec in DEMO_ACCOUNTS:
                existing = await repository.by_username(session, spec.username)
                if existing is not None:
                    made[existing.username] = existing
                    continue
                account = await service.do_signup(
                    session,
                    runtime,
                    username=spec.username,
                    password=DEMO_PASSWORD,
                    display_name=spec.display_name,
                    ui_language=spec.ui_language,
                )
                await service.do_update_profile(session, settings, account, bio=spec.bio)
                await service.do_onboard(
                    session,
                    settings,
                    account,
                    interests=spec.interests,
                    languages=spec.languages,
                    accept_guidelines=True,
                )
                made[account.username] = account
            for follower, followee in DEMO_FOLLOWS:
                await repository.add_follow(session, made[follower].id, made[followee].id)
            await commit(session)
            return list(made)
    finally:
        await runtime.close()
