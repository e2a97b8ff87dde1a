"""The engine: scopes, verdict ordering, every hit listed, and the shipped policy on real text."""

from __future__ import annotations

import pytest

from redleaf.moderation.engine import Content, Engine, Verdict
from redleaf.moderation.policy import (
    ACTIONS,
    Bilingual,
    Matcher,
    Policy,
    Rule,
    Scope,
    load_default_policy,
)


def _rule(code: str, matcher: Matcher, action: str = "hold", **extra: object) -> Rule:
    return Rule(
        code=code,
        name=Bilingual(code, code),
        matcher=matcher,
        action=action,
        reason=Bilingual(f"because {code}", f"因为 {code}"),
        **extra,  # type: ignore[arg-type]
    )


TERMS = Matcher(kind="terms", terms=("badword", "坏词"))


@pytest.fixture(scope="module")
def default_engine() -> Engine:
    return Engine(load_default_policy())


def test_a_rule_for_comments_does_not_fire_on_notes() -> None:
    engine = Engine(Policy("1", (_rule("c", TERMS, scope=Scope(kinds=("comment",))),)))
    assert engine.check(Content("comment", "a badword")).action == "hold"
    assert engine.check(Content("note", "a badword")).action == "allow"


def test_locale_and_region_scopes() -> None:
    rule = _rule("zh", TERMS, scope=Scope(author_locales=("zh-Hans",), author_regions=("CN",)))
    engine = Engine(Policy("1", (rule,)))
    assert engine.check(Content("note", "坏词", author_locale="zh-CN", author_region="cn")).hits
    assert not engine.check(Content("note", "坏词", author_locale="en", author_region="CN")).hits
    assert not engine.check(
        Content("note", "坏词", author_locale="zh-Hans", author_region="US")
    ).hits
    viewer = Engine(Policy("1", (_rule("v", TERMS, scope=Scope(viewer_locales=("en",))),)))
    assert viewer.check(Content("note", "badword", viewer_locale="en-US")).hits
    assert not viewer.check(Content("note", "badword", viewer_locale="zh-Hans")).hits
    assert not viewer.check(Content("note", "badword")).hits  # posting: no viewer yet


def test_account_age_bounds() -> None:
    young = _rule("young", TERMS, scope=Scope(max_account_age_hours=24))
    old = _rule("old", TERMS, action="warn", scope=Scope(min_account_age_hours=24))
    engine = Engine(Policy("1", (young, old)))
    assert engine.check(Content("note", "badword", author_age_hours=2)).rules == ("young",)
    assert engine.check(Content("note", "badword", author_age_hours=24)).rules == ("old",)
    assert engine.check(Content("note", "badword")).rules == ()  # age unknown: neither


def test_disabled_rules_never_fire() -> None:
    engine = Engine(Policy("1", (_rule("off", TERMS, enabled=False),)))
    assert engine.check(Content("note", "badword")).action == "allow"


def test_strongest_action_wins_and_every_hit_is_listed() -> None:
    rules = (
        _rule("warn", TERMS, action="warn"),
        _rule("pattern", Matcher(kind="pattern", pattern=r"wx ?\d{5,}"), action="ask_edit"),
        _rule("domain", Matcher(kind="domains", domains=("evil.example",)), action="remove"),
        _rule(
            "model",
            Matcher(kind="classifier", name="abuse", threshold=0.8),
            action="hold",
            severity=4,
        ),
        _rule(
            "burst",
            Matcher(kind="spam_signal", name="burst", threshold=0.5),
            action="mute",
            duration_hours=2,
        ),
    )
    engine = Engine(Policy("v9", rules))
    content = Content(
        "comment",
        "badword wx 123456 see https://a.evil.example/x",
        scores={"abuse": 0.95, "burst": 0.2},
    )
    verdict = engine.check(content)
    assert verdict.action == "remove"
    assert verdict.policy_version == "v9"
    assert [hit.rule for hit in verdict.hits] == ["warn", "pattern", "domain", "model"]
    by_rule = {hit.rule: hit for hit in verdict.hits}
    assert by_rule["warn"].terms == ("badword",) and by_rule["warn"].matcher == "terms"
    assert by_rule["pattern"].excerpt == "wx 123456" and by_rule["pattern"].span == (8, 17)
    assert by_rule["domain"].domains == ("evil.example",)
    assert by_rule["model"].score == 0.95
    assert verdict.decisive is by_rule["domain"]
    assert verdict.severity == 4
    muted = engine.check(Content("comment", "badword", scores={"burst": 0.9}))
    assert (muted.action, muted.duration_hours) == ("mute", 2)


def test_missing_scores_do_not_fire() -> None:
    rule = _rule("model", Matcher(kind="classifier", name="abuse", threshold=0.0))
    engine = Engine(Policy("1", (rule,)))
    assert engine.check(Content("note", "anything", scores={"spam": 1.0})).action == "allow"


def test_action_order() -> None:
    assert ACTIONS == ("allow", "warn", "ask_edit", "hold", "remove", "mute", "suspend")
    rules = tuple(
        _rule(action, TERMS, action=action, duration_hours=1 if action == "mute" else None)
        for action in ACTIONS[1:]
    )
    for count in range(1, len(rules) + 1):
        verdict = Engine(Policy("1", rules[:count])).check(Content("note", "badword"))
        assert verdict.action == ACTIONS[count]
        assert len(verdict.hits) == count


def test_ties_prefer_severity_then_longer_suspension() -> None:
    rules = (
        _rule("short", TERMS, action="suspend", duration_hours=24, severity=5),
        _rule("forever", TERMS, action="suspend", severity=5),
        _rule("mild", TERMS, action="suspend", duration_hours=1000, severity=2),
    )
    verdict = Engine(Policy("1", rules)).check(Content("note", "badword"))
    assert verdict.decisive is not None and verdict.decisive.rule == "forever"
    assert verdict.duration_hours is None


def test_pattern_literal_prefilter_keeps_results() -> None:
    rules = (
        _rule("code", Matcher(kind="pattern", pattern=r"\bpromo ?code \d{4}")),
        _rule("word", Matcher(kind="terms", terms=("promo",))),
    )
    engine = Engine(Policy("1", rules))
    assert engine.check(Content("note", "use PROMO code 1234")).rules == ("code", "word")
    assert engine.check(Content("note", "promotional code 1234")).rules == ()


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Ｆｕｃｋ ｙｏｕ", "abuse-insults-en"),
        ("f.u.c.k y0u", "abuse-insults-en"),
        ("你这个傻 逼", "abuse-insults-zh"),
        ("你個傻😀逼", "abuse-insults-zh"),
        ("加我微信聊", "scam-off-platform-contact"),
        ("Add me on WhatsApp!", "scam-off-platform-contact"),
        ("微信：abc12345", "scam-wechat-id"),
        ("Huge CRYPTO GIVEAWAY today", "scam-crypto-and-money"),
        ("go to spam.example/win", "spam-domains"),
    ],
)
def test_default_policy_catches(default_engine: Engine, text: str, rule: str) -> None:
    verdict = default_engine.check(Content("comment", text, author_age_hours=1000))
    assert rule in verdict.rules


@pytest.mark.parametrize(
    "text", ["What a classy Scunthorpe assassin", "今天的火锅太好吃了", "Visit me at 3.14 pm"]
)
def test_default_policy_allows_ordinary_text(default_engine: Engine, text: str) -> None:
    assert default_engine.check(Content("note", text, author_age_hours=1000)) == Verdict(
        "allow", policy_version=default_engine.policy.version
    )


def test_default_policy_holds_links_from_new_accounts(default_engine: Engine) -> None:
    link = "my shop: shop.example/sale"
    young = default_engine.check(Content("note", link, author_age_hours=3))
    assert young.action == "hold" and young.hits[0].domains == ("shop.example",)
    assert default_engine.check(Content("note", link, author_age_hours=30)).action == "allow"


def test_unknown_kind_is_an_error(default_engine: Engine) -> None:
    with pytest.raises(ValueError):
        default_engine.check(Content("tweet", "hi"))
