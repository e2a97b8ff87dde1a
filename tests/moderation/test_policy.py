"""Policies as data: YAML in and out, validation naming the rule and field, the shipped policy."""

from __future__ import annotations

import pytest

from redleaf.kit.i18n import reset_locale, set_locale
from redleaf.moderation.engine import Engine
from redleaf.moderation.policy import (
    ACTIONS,
    Bilingual,
    Matcher,
    Policy,
    PolicyError,
    Rule,
    Scope,
    dump_yaml,
    load_default_policy,
    load_yaml,
)

VALID = """
version: "7"
rules:
  - code: insults-zh
    name: {en: Insults, zh: 辱骂}
    scope: {kinds: [comment], author_locales: [zh-Hans], max_account_age_hours: 48}
    matcher: {kind: terms, terms: [傻逼, 脑残]}
    action: hold
    severity: 3
    reason: {en: No insults., zh: 不允许辱骂。}
"""


def _with(**changes: object) -> str:
    base = {
        "code": "r1",
        "name": "{en: N, zh: 名}",
        "matcher": "{kind: terms, terms: [x]}",
        "action": "hold",
        "reason": "{en: R, zh: 因}",
    }
    base.update({key: str(value) for key, value in changes.items()})
    body = "\n".join(f"    {key}: {value}" for key, value in base.items() if value != "DROP")
    return f"version: '1'\nrules:\n  -\n{body}\n"


def test_load_reads_every_field() -> None:
    policy = load_yaml(VALID)
    rule = policy.rules[0]
    assert policy.version == "7"
    assert rule.scope == Scope(
        kinds=("comment",), author_locales=("zh-Hans",), max_account_age_hours=48
    )
    assert rule.matcher == Matcher(kind="terms", terms=("傻逼", "脑残"))
    assert rule.name.in_locale("zh-Hans") == "辱骂"
    assert policy.rule("insults-zh") is rule


def test_round_trip() -> None:
    policy = Policy(
        version="2",
        rules=(
            Rule(
                code="burst",
                name=Bilingual("Burst", "刷屏"),
                matcher=Matcher(kind="spam_signal", name="burst", threshold=0.9),
                action="mute",
                duration_hours=1.5,
                reason=Bilingual("Too fast.", "太快了。"),
                severity=2,
                enabled=False,
                scope=Scope(
                    kinds=("message",),
                    author_regions=("CN",),
                    viewer_locales=("en",),
                    min_account_age_hours=1,
                ),
            ),
            Rule(
                code="ids",
                name=Bilingual("IDs", "账号"),
                matcher=Matcher(kind="pattern", pattern=r"wx ?\d{5}", form="raw"),
                action="ask_edit",
                reason=Bilingual("No IDs.", "不要留账号。"),
            ),
        ),
    )
    assert load_yaml(dump_yaml(policy)) == policy
    default = load_default_policy()
    assert load_yaml(dump_yaml(default)) == default


@pytest.mark.parametrize(
    ("yaml_text", "rule", "field"),
    [
        (_with(action="explode"), "r1", "action"),
        (_with(action="mute"), "r1", "duration_hours"),
        (_with(duration_hours=3), "r1", "duration_hours"),
        (_with(severity=9), "r1", "severity"),
        (_with(name="{en: only English}"), "r1", "name"),
        (_with(matcher="{kind: terms, terms: []}"), "r1", "matcher.terms"),
        (_with(matcher="{kind: magic}"), "r1", "matcher.kind"),
        (_with(matcher="{kind: pattern, pattern: '(a+)+$'}"), "r1", "matcher.pattern"),
        (_with(matcher="{kind: classifier, name: abuse, threshold: 3}"), "r1", "matcher.threshold"),
        (_with(matcher="{kind: terms, terms: [x], form: raw}"), "r1", "matcher.form"),
        (_with(scope="{kinds: [tweet]}"), "r1", "scope.kinds"),
        (
            _with(scope="{min_account_age_hours: 5, max_account_age_hours: 2}"),
            "r1",
            "scope.max_account_age_hours",
        ),
        (_with(colour="red"), "r1", "colour"),
        (_with(code="Not A Slug"), "#1", "code"),
        ("version: '1'\nrules: [oops]\n", "#1", "rule"),
        ("rules: []\n", "-", "version"),
        ("version: [unclosed\n", "-", "yaml"),
    ],
)
def test_validation_names_the_rule_and_field(yaml_text: str, rule: str, field: str) -> None:
    with pytest.raises(PolicyError) as error:
        load_yaml(yaml_text)
    assert (error.value.rule, error.value.field) == (rule, field)
    assert error.value.status == 422
    assert rule in str(error.value) and field in str(error.value)


def test_duplicate_codes_are_refused() -> None:
    twice = VALID + VALID.split("rules:\n", 1)[1]
    with pytest.raises(PolicyError) as error:
        load_yaml(twice)
    assert error.value.field == "code"


def test_error_messages_are_translated() -> None:
    with pytest.raises(PolicyError) as error:
        load_yaml(_with(severity=9))
    english = error.value.translated()
    assert "r1" in english and "severity" in english
    token = set_locale("zh-Hans")
    try:
        assert "r1" in error.value.translated()
    finally:
        reset_locale(token)


def test_the_shipped_policy_loads_and_compiles() -> None:
    policy = load_default_policy()
    codes = {rule.code for rule in policy.rules}
    assert {"scam-off-platform-contact", "new-account-links", "spam-domains"} <= codes
    assert {rule.action for rule in policy.rules} <= set(ACTIONS)
    for rule in policy.rules:
        assert rule.name.en and rule.name.zh and rule.reason.en and rule.reason.zh
    assert Engine(policy).term_count > 20
