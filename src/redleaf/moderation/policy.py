"""Policies as data: frozen rules an operator edits (console or YAML) without touching code.

A Policy is a version string and a list of rules. A rule says where it applies (its scope), what
it looks for (one matcher), what happens (an action, with a duration for mute and suspend), how
severe it is, and why, in English and Chinese. `load_yaml` validates everything and raises
PolicyError naming the rule and the field; `dump_yaml` writes what `load_yaml` reads back equal.

Actions, weakest first (the order a verdict takes the strongest of):
    allow < warn < ask_edit < hold < remove < mute < suspend
warn publishes with a notice; ask_edit publishes nothing until the author changes it; hold hides
the content from everyone but its author until a moderator decides; remove takes it down. mute and
suspend act on the account as well as the content (the content that triggered them is removed, and
the author cannot post for `duration_hours`, or at all), so they rank above remove: a stronger
action never does less than a weaker one. (The issue listed mute below remove; that would let a
remove outrank a mute and lose the account sanction.)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from redleaf.kit.errors import AppError
from redleaf.kit.i18n import gettext, lazy

ACTIONS = ("allow", "warn", "ask_edit", "hold", "remove", "mute", "suspend")
ACTION_RANK = {action: rank for rank, action in enumerate(ACTIONS)}
TIMED_ACTIONS = frozenset({"mute", "suspend"})
CONTENT_KINDS = ("note", "comment", "message", "profile", "image")
MATCHER_KINDS = ("terms", "pattern", "domains", "classifier", "spam_signal")
# Which normalised form a terms or pattern rule reads; "raw" (patterns only) is the text as sent.
FORMS = ("strict", "leet", "raw")


class PolicyError(AppError):
    """A policy that cannot be used, naming the rule (its code, or its position) and the field."""

    status = 422
    code = "invalid_policy"
    message = lazy("Rule %(rule)s, field %(field)s: %(problem)s")
    message_position = 0  # its arguments are a rule and a field; the problems are lazy() ids

    def __init__(self, rule: str, field_name: str, problem: str, **params: object) -> None:
        super().__init__(field=field_name)
        self.rule = rule
        self.problem = problem
        self.problem_params = params
        problem_text = problem % params if params else problem
        self.args = (f"Rule {rule}, field {field_name}: {problem_text}",)

    def translated(self) -> str:
        params = dict(self.problem_params)
        if isinstance(params.get("shape"), str):  # a pattern's unsafe shape is a message id too
            params["shape"] = gettext(str(params["shape"]))
        problem = gettext(self.problem, **params)
        return gettext(self.message, rule=self.rule, field=self.field, problem=problem)


@dataclass(frozen=True)
class Bilingual:
    en: str
    zh: str

    def in_locale(self, locale: str | None) -> str:
        return self.zh if (locale or "").lower().startswith("zh") else self.en


@dataclass(frozen=True)
class Scope:
    """Where a rule applies. Empty locale or region lists mean any. A rule with viewer locales
    applies only when the check names a viewer (reading, not posting). Account age bounds are in
    hours, inclusive of the minimum and exclusive of the maximum; a rule with a bound does not
    fire when the author's age is unknown."""

    kinds: tuple[str, ...] = CONTENT_KINDS
    author_locales: tuple[str, ...] = ()
    author_regions: tuple[str, ...] = ()
    viewer_locales: tuple[str, ...] = ()
    min_account_age_hours: float | None = None
    max_account_age_hours: float | None = None


@dataclass(frozen=True)
class Matcher:
    """One of: terms (a list), pattern (a regular expression), domains (a list; "*" is any link),
    classifier or spam_signal (a score name and the threshold at or above which it fires)."""

    kind: str
    terms: tuple[str, ...] = ()
    pattern: str | None = None
    domains: tuple[str, ...] = ()
    name: str | None = None
    threshold: float | None = None
    form: str = "strict"


@dataclass(frozen=True)
class Rule:
    code: str
    name: Bilingual
    matcher: Matcher
    action: str
    reason: Bilingual
    severity: int = 3
    duration_hours: float | None = None
    enabled: bool = True
    scope: Scope = field(default_factory=Scope)


@dataclass(frozen=True)
class Policy:
    version: str
    rules: tuple[Rule, ...] = ()

    def rule(self, code: str) -> Rule | None:
        return next((rule for rule in self.rules if rule.code == code), None)


# ----------------------------------------------------------------------------- reading


def _check(condition: bool, rule: str, field_name: str, problem: str, **params: object) -> None:
    if not condition:
        raise PolicyError(rule, field_name, problem, **params)


def _strings(value: Any, rule: str, field_name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    _check(
        isinstance(value, list) and all(isinstance(item, str) for item in value),
        rule,
        field_name,
        lazy("expected a list of texts"),
    )
    return tuple(value)


def _number(value: Any, rule: str, field_name: str) -> float | None:
    if value is None:
        return None
    _check(
        isinstance(value, int | float) and not isinstance(value, bool) and value >= 0,
        rule,
        field_name,
        lazy("expected a number of zero or more"),
    )
    return float(value) if isinstance(value, float) or float(value) != int(value) else int(value)


def _bilingual(value: Any, rule: str, field_name: str) -> Bilingual:
    ok = (
        isinstance(value, Mapping)
        and isinstance(value.get("en"), str)
        and isinstance(value.get("zh"), str)
        and value["en"].strip()
        and value["zh"].strip()
    )
    _check(
        bool(ok), rule, field_name, lazy("expected both an English (en) and a Chinese (zh) text")
    )
    return Bilingual(en=value["en"].strip(), zh=value["zh"].strip())


def _unknown_keys(data: Mapping[str, Any], allowed: set[str], rule: str, where: str) -> None:
    extra = sorted(set(data) - allowed)
    _check(not extra, rule, f"{where}{extra[0] if extra else ''}", lazy("unknown field"))


def _scope(data: Any, rule: str) -> Scope:
    if data is None:
        return Scope()
    _check(isinstance(data, Mapping), rule, "scope", lazy("expected a mapping"))
    allowed = {f for f in Scope.__dataclass_fields__}
    _unknown_keys(data, allowed, rule, "scope.")
    kinds = _strings(data.get("kinds"), rule, "scope.kinds") or CONTENT_KINDS
    for kind in kinds:
        _check(
            kind in CONTENT_KINDS,
            rule,
            "scope.kinds",
            lazy("unknown content type %(value)s; expected one of %(choices)s"),
            value=kind,
            choices=", ".join(CONTENT_KINDS),
        )
    low = _number(data.get("min_account_age_hours"), rule, "scope.min_account_age_hours")
    high = _number(data.get("max_account_age_hours"), rule, "scope.max_account_age_hours")
    _check(
        low is None or high is None or low < high,
        rule,
        "scope.max_account_age_hours",
        lazy("must be greater than the minimum account age"),
    )
    return Scope(
        kinds=kinds,
        author_locales=_strings(data.get("author_locales"), rule, "scope.author_locales"),
        author_regions=tuple(
            region.upper()
            for region in _strings(data.get("author_regions"), rule, "scope.author_regions")
        ),
        viewer_locales=_strings(data.get("viewer_locales"), rule, "scope.viewer_locales"),
        min_account_age_hours=low,
        max_account_age_hours=high,
    )


def _matcher(data: Any, rule: str) -> Matcher:
    from redleaf.moderation.matchers import PatternRejected, compile_pattern

    _check(isinstance(data, Mapping), rule, "matcher", lazy("expected a mapping"))
    _unknown_keys(data, set(Matcher.__dataclass_fields__), rule, "matcher.")
    kind = data.get("kind")
    _check(
        kind in MATCHER_KINDS,
        rule,
        "matcher.kind",
        lazy("unknown matcher %(value)s; expected one of %(choices)s"),
        value=str(kind),
        choices=", ".join(MATCHER_KINDS),
    )
    form = data.get("form", "strict")
    _check(
        form in FORMS and not (kind == "terms" and form == "raw"),
        rule,
        "matcher.form",
        lazy("unknown form %(value)s; expected strict, leet or (patterns only) raw"),
        value=str(form),
    )
    terms = _strings(data.get("terms"), rule, "matcher.terms")
    domains = _strings(data.get("domains"), rule, "matcher.domains")
    pattern = data.get("pattern")
    name = data.get("name")
    threshold = data.get("threshold")
    if kind == "terms":
        _check(
            any(term.strip() for term in terms),
            rule,
            "matcher.terms",
            lazy("list at least one term"),
        )
    elif kind == "domains":
        _check(bool(domains), rule, "matcher.domains", lazy("list at least one domain"))
    elif kind == "pattern":
        _check(
            isinstance(pattern, str) and bool(pattern),
            rule,
            "matcher.pattern",
            lazy("expected a regular expression"),
        )
        try:
            compile_pattern(pattern)
        except PatternRejected as rejected:
            raise PolicyError(rule, "matcher.pattern", rejected.msgid, **rejected.params) from None
    else:
        _check(
            isinstance(name, str) and bool(name.strip()),
            rule,
            "matcher.name",
            lazy("name the score this rule reads"),
        )
        _check(
            isinstance(threshold, int | float)
            and not isinstance(threshold, bool)
            and 0 <= threshold <= 1,
            rule,
            "matcher.threshold",
            lazy("expected a number from 0 to 1"),
        )
    return Matcher(
        kind=kind,
        terms=terms,
        pattern=pattern if kind == "pattern" else None,
        domains=domains,
        name=name if kind in ("classifier", "spam_signal") else None,
        threshold=float(threshold) if kind in ("classifier", "spam_signal") else None,
        form=form,
    )


def rule_from_dict(data: Any, position: int) -> Rule:
    label = f"#{position + 1}"
    _check(isinstance(data, Mapping), label, "rule", lazy("expected a mapping"))
    code = data.get("code")
    _check(
        isinstance(code, str)
        and bool(code)
        and code.replace("-", "").replace("_", "").isalnum()
        and code.isascii()
        and code == code.lower(),
        label,
        "code",
        lazy("expected a stable slug of lower-case letters, digits, - and _"),
    )
    rule = str(code)
    allowed = set(Rule.__dataclass_fields__)
    _unknown_keys(data, allowed, rule, "")
    action = data.get("action")
    _check(
        action in ACTIONS,
        rule,
        "action",
        lazy("unknown action %(value)s; expected one of %(choices)s"),
        value=str(action),
        choices=", ".join(ACTIONS),
    )
    duration = _number(data.get("duration_hours"), rule, "duration_hours")
    if action == "mute":
        duration_ok = duration is not None and duration > 0
    elif action == "suspend":  # without a duration, until a moderator lifts it
        duration_ok = duration is None or duration > 0
    else:
        duration_ok = duration is None
    _check(
        duration_ok,
        rule,
        "duration_hours",
        lazy("mute needs a duration in hours; suspend may have one; other actions have none"),
    )
    severity = data.get("severity", 3)
    _check(
        isinstance(severity, int) and not isinstance(severity, bool) and 1 <= severity <= 5,
        rule,
        "severity",
        lazy("expected a whole number from 1 to 5"),
    )
    enabled = data.get("enabled", True)
    _check(isinstance(enabled, bool), rule, "enabled", lazy("expected true or false"))
    return Rule(
        code=rule,
        name=_bilingual(data.get("name"), rule, "name"),
        matcher=_matcher(data.get("matcher"), rule),
        action=str(action),
        reason=_bilingual(data.get("reason"), rule, "reason"),
        severity=severity,
        duration_hours=duration,
        enabled=enabled,
        scope=_scope(data.get("scope"), rule),
    )


def policy_from_dict(data: Any) -> Policy:
    _check(isinstance(data, Mapping), "-", "policy", lazy("expected a mapping"))
    version = data.get("version")
    _check(
        isinstance(version, str | int | float) and str(version).strip() != "",
        "-",
        "version",
        lazy("give the policy a version"),
    )
    raw_rules = data.get("rules") or []
    _check(isinstance(raw_rules, list), "-", "rules", lazy("expected a list of rules"))
    rules = tuple(rule_from_dict(item, position) for position, item in enumerate(raw_rules))
    seen: set[str] = set()
    for rule in rules:
        _check(rule.code not in seen, rule.code, "code", lazy("two rules have this code"))
        seen.add(rule.code)
    return Policy(version=str(version), rules=rules)


def load_yaml(text: str) -> Policy:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise PolicyError(
            "-", "yaml", lazy("not valid YAML: %(error)s"), error=str(error)
        ) from None
    return policy_from_dict(data)


# ----------------------------------------------------------------------------- writing


def rule_to_dict(rule: Rule) -> dict[str, Any]:
    matcher: dict[str, Any] = {"kind": rule.matcher.kind}
    if rule.matcher.kind in ("terms", "pattern") and rule.matcher.form != "strict":
        matcher["form"] = rule.matcher.form
    if rule.matcher.kind == "terms":
        matcher["terms"] = list(rule.matcher.terms)
    elif rule.matcher.kind == "pattern":
        matcher["pattern"] = rule.matcher.pattern
    elif rule.matcher.kind == "domains":
        matcher["domains"] = list(rule.matcher.domains)
    else:
        matcher["name"] = rule.matcher.name
        matcher["threshold"] = rule.matcher.threshold
    scope: dict[str, Any] = {}
    if rule.scope.kinds != CONTENT_KINDS:
        scope["kinds"] = list(rule.scope.kinds)
    for name in ("author_locales", "author_regions", "viewer_locales"):
        if getattr(rule.scope, name):
            scope[name] = list(getattr(rule.scope, name))
    for name in ("min_account_age_hours", "max_account_age_hours"):
        if getattr(rule.scope, name) is not None:
            scope[name] = getattr(rule.scope, name)
    out: dict[str, Any] = {
        "code": rule.code,
        "name": {"en": rule.name.en, "zh": rule.name.zh},
        "enabled": rule.enabled,
    }
    if scope:
        out["scope"] = scope
    out["matcher"] = matcher
    out["action"] = rule.action
    if rule.duration_hours is not None:
        out["duration_hours"] = rule.duration_hours
    out["severity"] = rule.severity
    out["reason"] = {"en": rule.reason.en, "zh": rule.reason.zh}
    return out


def dump_yaml(policy: Policy) -> str:
    data = {"version": policy.version, "rules": [rule_to_dict(rule) for rule in policy.rules]}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def load_default_policy() -> Policy:
    from importlib.resources import files

    text = files("redleaf.moderation").joinpath("data/default_policy.yaml").read_text("utf-8")
    return load_yaml(text)
