"""The rule engine: a policy compiled once, then `check(content)` → a verdict, inline and fast.

Everything per policy is built in `Engine(policy)`: one term automaton per normalised form
holding every enabled rule's terms, the patterns (vetted by matchers.compile_pattern), one domain
index, and per content type the rules that can apply. A check normalises the text once, reads it
once per form, and looks at a rule's scope only when its matcher hit, so its cost grows with the
text and the hits, not with the number of rules. Scores (classifiers, spam signals) are computed
elsewhere and passed in; a rule whose score is missing does not fire.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace

from redleaf.kit.i18n import normalise_locale
from redleaf.moderation.matchers import (
    DomainIndex,
    TermAutomaton,
    compile_pattern,
    find_hosts,
    normalize_term,
    required_literal,
)
from redleaf.moderation.normalize import Prepared, prepare
from redleaf.moderation.policy import ACTION_RANK, CONTENT_KINDS, Bilingual, Policy, Rule


@dataclass(frozen=True)
class Content:
    """What is checked. `author_age_hours` is the account's age when it posted; `viewer_locale`
    is set only when checking for a reader; `scores` are classifier and spam-signal scores by
    name, from 0 to 1."""

    kind: str
    text: str
    author_locale: str | None = None
    author_region: str | None = None
    author_age_hours: float | None = None
    viewer_locale: str | None = None
    scores: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Hit:
    """One rule that fired and why: the terms, the pattern's span and matched text (in the form
    it read), the listed domains, or the score."""

    rule: str
    matcher: str
    action: str
    severity: int
    reason: Bilingual
    duration_hours: float | None = None
    terms: tuple[str, ...] = ()
    form: str | None = None
    span: tuple[int, int] | None = None
    excerpt: str | None = None
    domains: tuple[str, ...] = ()
    score: float | None = None


@dataclass(frozen=True)
class Verdict:
    """The strongest action of all hits (see policy.ACTIONS for the order), its duration, and
    every hit in policy order so the console can show why."""

    action: str
    hits: tuple[Hit, ...] = ()
    duration_hours: float | None = None
    policy_version: str = ""

    @property
    def decisive(self) -> Hit | None:
        """The hit that set the action: strongest action, then severity, then duration."""
        return max(self.hits, key=_strength) if self.hits else None

    @property
    def severity(self) -> int:
        return max((hit.severity for hit in self.hits), default=0)

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(hit.rule for hit in self.hits)


ALLOW = Verdict("allow")


def _strength(hit: Hit) -> tuple[int, int, float]:
    # A suspension without a duration lasts until lifted: longer than any with one.
    duration = math.inf if hit.duration_hours is None else hit.duration_hours
    if hit.action not in ("mute", "suspend"):
        duration = 0.0
    return (ACTION_RANK[hit.action], hit.severity, duration)


@dataclass(frozen=True)
class _Scope:
    kinds: frozenset[str]
    author_locales: frozenset[str]
    author_regions: frozenset[str]
    viewer_locales: frozenset[str]
    min_age: float | None
    max_age: float | None

    def admits(self, content: Content) -> bool:
        if self.author_locales and _locale(content.author_locale) not in self.author_locales:
            return False
        if self.author_regions and (content.author_region or "").upper() not in self.author_regions:
            return False
        if self.viewer_locales and _locale(content.viewer_locale) not in self.viewer_locales:
            return False
        if self.min_age is not None or self.max_age is not None:
            age = content.author_age_hours
            if age is None:
                return False
            if self.min_age is not None and age < self.min_age:
                return False
            if self.max_age is not None and age >= self.max_age:
                return False
        return True


def _locale(value: str | None) -> str:
    return normalise_locale(value) or (value or "").strip().lower()


def _withholding_engine(rules: tuple[Rule, ...]) -> tuple[Engine, dict[str, frozenset[str]]] | None:
    """The enabled viewer-scoped rules that hold or stronger, compiled as one engine with their
    viewer scope lifted (one check answers every locale), and each rule's readers by its code."""
    withholding = [
        rule
        for rule in rules
        if rule.scope.viewer_locales and ACTION_RANK[rule.action] >= ACTION_RANK["hold"]
    ]
    if not withholding:
        return None
    readers: dict[str, frozenset[str]] = {}
    for rule in withholding:  # codes are unique in a loaded policy; union in case they are not
        mine = frozenset(_locale(value) for value in rule.scope.viewer_locales)
        readers[rule.code] = readers.get(rule.code, frozenset()) | mine
    lifted = tuple(
        replace(rule, scope=replace(rule.scope, viewer_locales=())) for rule in withholding
    )
    return Engine(Policy(version="withholding", rules=lifted)), readers


def _compile_scope(rule: Rule) -> _Scope:
    scope = rule.scope
    return _Scope(
        kinds=frozenset(scope.kinds),
        author_locales=frozenset(_locale(value) for value in scope.author_locales),
        author_regions=frozenset(region.upper() for region in scope.author_regions),
        viewer_locales=frozenset(_locale(value) for value in scope.viewer_locales),
        min_age=scope.min_account_age_hours,
        max_age=scope.max_account_age_hours,
    )


class Engine:
    """A compiled policy. Build one per policy version and share it: `check` only reads."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.rules: tuple[Rule, ...] = tuple(rule for rule in policy.rules if rule.enabled)
        self._scopes = tuple(_compile_scope(rule) for rule in self.rules)
        # One automaton per form, and their union for the usual text whose two forms are the
        # same string (no digits or symbols in words): then one pass serves every rule. Pattern
        # rules put their required literal in too (payload -1 - index, substring match), so a
        # pattern runs only when its literal is in the text.
        self._automata = {form: TermAutomaton() for form in ("strict", "leet", "both")}
        # Per content kind: patterns with a required literal (run when the scan saw it), and
        # the others (run on every text).
        with_literal: dict[str, dict[int, tuple[re.Pattern[str], str]]] = {
            kind: {} for kind in CONTENT_KINDS
        }
        without_literal: dict[str, list[tuple[int, re.Pattern[str], str]]] = {
            kind: [] for kind in CONTENT_KINDS
        }
        scored: dict[str, list[tuple[int, str, float]]] = {kind: [] for kind in CONTENT_KINDS}
        self._domains = DomainIndex()
        scanned_kinds: set[str] = set()
        domain_kinds: set[str] = set()
        compiled_patterns: dict[str, re.Pattern[str]] = {}
        self._term_count = 0
        for index, rule in enumerate(self.rules):
            matcher, kinds = rule.matcher, rule.scope.kinds
            if matcher.kind == "terms":
                leet = matcher.form == "leet"
                for term in matcher.terms:
                    normalised = normalize_term(term, leet)
                    self._automata[matcher.form].add(normalised, index)
                    self._automata["both"].add(normalised, index)
                    self._term_count += 1
                scanned_kinds.update(kinds)
            elif matcher.kind == "pattern" and matcher.pattern:
                compiled = compiled_patterns.get(matcher.pattern)
                if compiled is None:
                    compiled = compiled_patterns[matcher.pattern] = compile_pattern(matcher.pattern)
                literal = required_literal(compiled) if matcher.form != "raw" else None
                if literal:
                    self._automata[matcher.form].add(literal, -1 - index, bounded=False)
                    self._automata["both"].add(literal, -1 - index, bounded=False)
                    scanned_kinds.update(kinds)
                for kind in kinds:
                    if literal:
                        with_literal[kind][index] = (compiled, matcher.form)
                    else:
                        without_literal[kind].append((index, compiled, matcher.form))
            elif matcher.kind == "domains":
                for domain in matcher.domains:
                    self._domains.add(domain, index)
                domain_kinds.update(kinds)
            elif matcher.name is not None and matcher.threshold is not None:
                for kind in kinds:
                    scored[kind].append((index, matcher.name, matcher.threshold))
        for automaton in self._automata.values():
            automaton.build()
        self._applies = {
            kind: tuple(kind in scope.kinds for scope in self._scopes) for kind in CONTENT_KINDS
        }
        self._scanned_kinds = frozenset(scanned_kinds)
        self._patterns = {
            kind: (with_literal[kind], tuple(without_literal[kind])) for kind in CONTENT_KINDS
        }
        self._scored = {kind: tuple(items) for kind, items in scored.items()}
        self._domain_kinds = frozenset(domain_kinds)
        self._withholding = _withholding_engine(self.rules)

    def withheld_locales(self, content: Content, locales: Iterable[str]) -> tuple[str, ...]:
        """Which of `locales` (interface locales) the content is withheld from: those whose
        readers a rule scoped to viewers' locales would hold or remove it for. Checked once on
        posting, not per read. Rules without a viewer scope do not count: they ran on posting."""
        if self._withholding is None:
            return ()
        engine, readers = self._withholding
        verdict = engine.check(replace(content, viewer_locale=None))
        barred = {locale for hit in verdict.hits for locale in readers[hit.rule]}
        return tuple(locale for locale in locales if _locale(locale) in barred)

    @property
    def term_count(self) -> int:
        return self._term_count

    def check(self, content: Content) -> Verdict:
        kind = content.kind
        applies = self._applies.get(kind)
        if applies is None:
            raise ValueError(f"unknown content kind {kind!r}")
        scopes = self._scopes
        admitted: dict[int, bool] = {}

        def admits(index: int) -> bool:
            verdict = admitted.get(index)
            if verdict is None:
                verdict = admitted[index] = applies[index] and scopes[index].admits(content)
            return verdict

        found: dict[int, Hit] = {}
        text = content.text
        patterns = self._patterns[kind]
        if text and (kind in self._scanned_kinds or patterns[1]):
            prepared = prepare(text)
            literals: set[int] = set()
            if prepared.leet == prepared.strict:
                self._scan("both", prepared.strict, prepared, admits, found, literals)
            else:
                self._scan("strict", prepared.strict, prepared, admits, found, literals)
                self._scan("leet", prepared.leet, prepared, admits, found, literals)
            literal_patterns, other_patterns = patterns
            for index in sorted(literals):
                entry = literal_patterns.get(index)
                if entry is not None:
                    self._pattern_hit(index, *entry, text, prepared, admits, found)
            for index, compiled, form in other_patterns:
                self._pattern_hit(index, compiled, form, text, prepared, admits, found)
        if text and kind in self._domain_kinds:
            hosts = find_hosts(text)
            if hosts:
                listed: dict[int, list[str]] = {}
                for host, domain, index in self._domains.lookup(hosts):
                    if admits(index):  # for "any link" rules, show the link's host
                        listed.setdefault(index, []).append(host if domain == "*" else domain)
                for index, domains in listed.items():
                    found[index] = self._hit(index, domains=tuple(dict.fromkeys(domains)))
        scores = content.scores
        if scores:
            for index, name, threshold in self._scored[kind]:
                score = scores.get(name)
                if score is not None and score >= threshold and admits(index):
                    found[index] = self._hit(index, score=float(score))
        if not found:
            return Verdict("allow", policy_version=self.policy.version)
        hits = tuple(found[index] for index in sorted(found))
        decisive = max(hits, key=_strength)
        return Verdict(
            action=decisive.action,
            hits=hits,
            duration_hours=decisive.duration_hours
            if decisive.action in ("mute", "suspend")
            else None,
            policy_version=self.policy.version,
        )

    def _scan(
        self,
        name: str,
        text: str,
        prepared: Prepared,
        admits: Callable[[int], bool],
        found: dict[int, Hit],
        literals: set[int],
    ) -> None:
        automaton = self._automata[name]
        if not len(automaton):
            return
        terms: dict[int, list[str]] = {}
        for hit in automaton.scan(text, prepared.seams):
            for index in hit.payload:
                if index < 0:
                    literals.add(-1 - index)
                elif (name == "both" or self.rules[index].matcher.form == name) and admits(index):
                    terms.setdefault(index, []).append(hit.term)
        for index, matched in terms.items():
            form = self.rules[index].matcher.form
            found[index] = self._hit(index, form=form, terms=tuple(dict.fromkeys(matched)))

    def _pattern_hit(
        self,
        index: int,
        compiled: re.Pattern[str],
        form: str,
        text: str,
        prepared: Prepared,
        admits: Callable[[int], bool],
        found: dict[int, Hit],
    ) -> None:
        target = text if form == "raw" else prepared.leet if form == "leet" else prepared.strict
        match = compiled.search(target)
        if match is not None and admits(index):
            found[index] = self._hit(index, form=form, span=match.span(), excerpt=match.group())

    def _hit(self, index: int, **details: object) -> Hit:
        rule = self.rules[index]
        return Hit(
            rule=rule.code,
            matcher=rule.matcher.kind,
            action=rule.action,
            severity=rule.severity,
            reason=rule.reason,
            duration_hours=rule.duration_hours,
            **details,  # type: ignore[arg-type]
        )
