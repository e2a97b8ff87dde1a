"""Moderation's inline rule engine (issue 5): short texts checked per second on one core with
1,000 rules and a 10,000-term list, and the per-check latency the chat fast path pays.

Generated, seeded: 1,000 rules (mostly term rules holding 10,000 terms in all, random English
words and Chinese bigrams; some pattern rules; some domain lists) and 50,000 chat-like texts
mixing English and Chinese, a few percent of them with a listed term, a link or a pattern hit.
Printed in one run:
  - build time of the engine (normalising and compiling every term, vetting every pattern) and
    the memory it holds;
  - the term scan alone: the Aho–Corasick automaton against one big regex over the same 10,000
    terms, as a trie-shaped alternation and as a plain one (the automaton is what the engine
    uses);
  - `Engine.check` over all texts: texts/second, p50/p99/max per check, against the target;
  - the naive baseline on a sample: every rule's terms tested one by one on the same normalised
    text (`term in text` + a boundary check), patterns and domains as in the engine.

    .venv/bin/python bench/moderation.py [--texts 50000] [--rules 1000] [--terms 10000]
"""

from __future__ import annotations

import argparse
import gc
import random
import re
import statistics
import string
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from redleaf.moderation.engine import Content, Engine  # noqa: E402
from redleaf.moderation.matchers import TermAutomaton, normalize_term  # noqa: E402
from redleaf.moderation.normalize import prepare  # noqa: E402
from redleaf.moderation.policy import Bilingual, Matcher, Policy, Rule, Scope  # noqa: E402

TARGET_PER_SECOND = 20_000
TARGET_P99_MS = 5.0

_COMMON_EN_WORDS = (
    "the a to and you i it is that of in this for on my was just so with be have are what "
    "love like lol today look cute new try food coffee cafe hotpot city trip photo nice good "
    "where when how really thanks omg wow great can we go see outfit haha yes no maybe tonight "
    "weekend shop price buy skin routine cream hair color shoes bag dress sale"
)
_COMMON_EN = _COMMON_EN_WORDS.split()
_COMMON_ZH = list(
    "今天我们你好吃的了是在有这个那么去看真太好美喜欢咖啡火锅成都上海周末穿搭护肤推荐一下"
    "什么时候哪里怎么谢谢哈哈姐妹店家价格买新款颜色衣服鞋包折扣晚上明天"
)
_ZH_POOL = [chr(code) for code in range(0x4E00, 0x9FA6)]


def _word(rng: random.Random) -> str:
    consonants, vowels = "bcdfghjklmnprstvwz", "aeiou"
    return "".join(
        rng.choice(consonants) + rng.choice(vowels) for _ in range(rng.randint(2, 4))
    ) + rng.choice(["", "s", "er", "ly", "ing"])


def make_terms(rng: random.Random, count: int) -> list[str]:
    terms: set[str] = set()
    while len(terms) < count:
        if rng.random() < 0.6:
            term = _word(rng) if rng.random() < 0.85 else f"{_word(rng)} {_word(rng)}"
        else:
            term = rng.choice(_ZH_POOL) + rng.choice(_ZH_POOL)
        terms.add(term)
    return sorted(terms)


def make_policy(rng: random.Random, rules: int, terms: list[str]) -> Policy:
    pattern_rules = rules // 20
    domain_rules = rules // 20
    term_rules = rules - pattern_rules - domain_rules
    shuffled = terms[:]
    rng.shuffle(shuffled)
    built: list[Rule] = []
    kinds = ("note", "comment", "message", "profile")

    def rule(index: int, matcher: Matcher, action: str) -> Rule:
        return Rule(
            code=f"rule-{index}",
            name=Bilingual(f"Rule {index}", f"规则{index}"),
            matcher=matcher,
            action=action,
            reason=Bilingual("Generated.", "生成的。"),
            severity=rng.randint(1, 5),
            duration_hours=1 if action == "mute" else None,
            scope=Scope(kinds=kinds if rng.random() < 0.8 else ("note", "comment")),
        )

    per_rule = len(shuffled) // term_rules
    for index in range(term_rules):
        chunk = shuffled[index * per_rule : (index + 1) * per_rule]
        if index == term_rules - 1:
            chunk = shuffled[index * per_rule :]
        form = "leet" if index % 10 == 0 else "strict"
        action = rng.choice(["hold", "remove", "warn", "ask_edit", "mute"])
        built.append(rule(index, Matcher("terms", terms=tuple(chunk), form=form), action))
    for offset in range(pattern_rules):
        index = term_rules + offset
        word = _word(rng)
        pattern = rng.choice(
            [
                rf"{word} ?[:：]? ?\d{{{rng.randint(4, 6)},12}}",
                rf"{rng.choice(_COMMON_ZH)}{rng.choice(_ZH_POOL)}[a-z0-9]{{4,10}}",
                rf"\b{word}\b",
            ]
        )
        built.append(rule(index, Matcher("pattern", pattern=pattern), "hold"))
    for offset in range(domain_rules):
        index = term_rules + pattern_rules + offset
        domains = tuple(f"{_word(rng)}.{rng.choice(['com', 'cn', 'net', 'io'])}" for _ in range(5))
        built.append(rule(index, Matcher("domains", domains=domains), "remove"))
    return Policy(version="bench", rules=tuple(built))


def make_texts(rng: random.Random, count: int, policy: Policy, terms: list[str]) -> list[str]:
    domains = [d for r in policy.rules if r.matcher.kind == "domains" for d in r.matcher.domains]
    texts = []
    for _ in range(count):
        parts: list[str] = []
        if rng.random() < 0.5:
            parts.append(" ".join(rng.choice(_COMMON_EN) for _ in range(rng.randint(3, 10))))
        if rng.random() < 0.6 or not parts:
            parts.append("".join(rng.choice(_COMMON_ZH) for _ in range(rng.randint(4, 16))))
        roll = rng.random()
        if roll < 0.03:
            parts.insert(rng.randint(0, len(parts)), rng.choice(terms))
        elif roll < 0.04:
            parts.append(f"https://{rng.choice(domains)}/{rng.choice(string.ascii_lowercase)}")
        elif roll < 0.05:
            parts.append(f"see www.{_word(rng)}.com")
        rng.shuffle(parts)
        texts.append(" ".join(parts))
    return texts


def trie_regex(terms: list[str]) -> re.Pattern[str]:
    """The regex candidate: one alternation shaped as a trie, so the engine never retries a
    shared prefix, in a lookahead so overlapping matches are found (the longest per start)."""
    trie: dict[str, dict] = {}
    for term in terms:
        node = trie
        for char in term:
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: dict[str, dict]) -> str:
        branches = [re.escape(char) + render(child) for char, child in node.items() if char]
        optional = "" in node
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if optional else body

    return re.compile(f"(?=({render(trie)}))")


def naive_check(policy: Policy, normalised_terms: list[list[str]], text: str) -> int:
    prepared = prepare(text)
    hits = 0
    for rule, terms in zip(policy.rules, normalised_terms, strict=True):
        if rule.matcher.kind != "terms":
            continue
        target = prepared.leet if rule.matcher.form == "leet" else prepared.strict
        for term in terms:
            position = target.find(term)
            while position >= 0:
                hits += 1
                break
    return hits


def percentile(sorted_values: list[float], fraction: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(fraction * len(sorted_values)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--texts", type=int, default=50_000)
    parser.add_argument("--rules", type=int, default=1_000)
    parser.add_argument("--terms", type=int, default=10_000)
    parser.add_argument("--baseline-sample", type=int, default=500)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    terms = make_terms(rng, args.terms)
    policy = make_policy(rng, args.rules, terms)
    texts = make_texts(rng, args.texts, policy, terms)
    chat = [Content("message", text, author_locale="en", author_age_hours=500) for text in texts]
    prepare("warm up 繁體")

    gc.collect()
    started = time.perf_counter()
    engine = Engine(policy)
    build_seconds = time.perf_counter() - started
    # Memory from a second build under tracemalloc (which slows what it traces, so not timed).
    tracemalloc.start()
    traced = Engine(policy)
    engine_bytes = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del traced
    gc.collect()

    print(
        f"moderation engine: {len(policy.rules):,} rules, {engine.term_count:,} terms, "
        f"{len(texts):,} texts (mean {statistics.mean(map(len, texts)):.0f} chars)"
    )
    print(f"{'build (normalise + compile + vet patterns)':<48} {build_seconds * 1000:>9.0f} ms")
    print(f"{'memory held by the engine (tracemalloc)':<48} {engine_bytes / 2**20:>9.1f} MiB")

    # The two term-matching candidates, on the same normalised texts.
    normalised = [prepare(text).strict for text in texts]
    strict_terms = [normalize_term(term) for term in terms]
    started = time.perf_counter()
    automaton = TermAutomaton()
    for term in strict_terms:
        automaton.add(term, 0)
    automaton.build()
    automaton_build = time.perf_counter() - started
    started = time.perf_counter()
    regex = trie_regex(sorted(set(strict_terms)))
    regex_build = time.perf_counter() - started
    started = time.perf_counter()
    automaton_hits = sum(len(automaton.scan(text)) for text in normalised)
    automaton_seconds = time.perf_counter() - started
    started = time.perf_counter()
    regex_hits = sum(len(regex.findall(text)) for text in normalised)
    regex_seconds = time.perf_counter() - started
    # The plainest candidate, "one big alternation", longest first, on a sample (it is slow).
    started = time.perf_counter()
    longest_first = sorted(set(strict_terms), key=len, reverse=True)
    alternation = re.compile("|".join(map(re.escape, longest_first)))
    alternation_build = time.perf_counter() - started
    alternation_sample = normalised[:2000]
    started = time.perf_counter()
    alternation_hits = sum(len(alternation.findall(text)) for text in alternation_sample)
    alternation_seconds = time.perf_counter() - started
    started = time.perf_counter()
    for text in texts:
        prepare(text)
    prepare_seconds = time.perf_counter() - started
    print()
    print(f"{'term scan, 10,000 terms':<34} {'build ms':>9} {'texts/s':>11} {'raw matches':>12}")
    print(
        f"{'  Aho–Corasick (kept)':<34} {automaton_build * 1000:>9.0f} "
        f"{len(texts) / automaton_seconds:>11,.0f} {automaton_hits:>12,}"
    )
    print(
        f"{'  trie-shaped regex (candidate)':<34} {regex_build * 1000:>9.0f} "
        f"{len(texts) / regex_seconds:>11,.0f} {regex_hits:>12,}"
    )
    print(
        f"{'  one big alternation (2,000 texts)':<34} {alternation_build * 1000:>9.0f} "
        f"{len(alternation_sample) / alternation_seconds:>11,.0f} {alternation_hits:>12,}"
    )
    print(f"{'  normalising alone':<34} {'':>9} {len(texts) / prepare_seconds:>11,.0f}")
    print("  (the regexes report one match per start (lookahead) or non-overlapping matches and")
    print("   no word boundaries; the automaton's count is of every term after boundaries)")

    # The engine, one check at a time as the chat fast path calls it.
    for content in chat[:2000]:
        engine.check(content)
    latencies: list[float] = []
    actions: dict[str, int] = {}
    clock = time.perf_counter_ns
    gc.collect()
    started = time.perf_counter()
    for content in chat:
        before = clock()
        verdict = engine.check(content)
        latencies.append((clock() - before) / 1e6)
        actions[verdict.action] = actions.get(verdict.action, 0) + 1
    elapsed = time.perf_counter() - started
    latencies.sort()
    per_second = len(chat) / elapsed
    p50, p99 = percentile(latencies, 0.50), percentile(latencies, 0.99)

    sample = chat[: args.baseline_sample]
    rule_terms = [
        [normalize_term(t, r.matcher.form == "leet") for t in r.matcher.terms] for r in policy.rules
    ]
    started = time.perf_counter()
    for content in sample:
        naive_check(policy, rule_terms, content.text)
    naive_seconds = time.perf_counter() - started
    naive_per_second = len(sample) / naive_seconds

    print()
    print(f"{'Engine.check':<34} {'texts/s':>11} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    print(
        f"{'  engine (one core)':<34} {per_second:>11,.0f} {p50:>8.3f} {p99:>8.3f} "
        f"{latencies[-1]:>8.3f}"
    )
    print(
        f"{'  naive: each rule, each term':<34} {naive_per_second:>11,.0f} "
        f"{naive_seconds / len(sample) * 1000:>8.3f} {'':>8} {'':>8}   "
        f"(terms only, {len(sample)} texts)"
    )
    print(f"  speed-up over naive: {per_second / naive_per_second:,.0f}x")
    print(f"  verdicts: {', '.join(f'{k} {v:,}' for k, v in sorted(actions.items()))}")
    verdict_rate = "MET" if per_second >= TARGET_PER_SECOND else "MISSED"
    verdict_p99 = "MET" if p99 < TARGET_P99_MS else "MISSED"
    print(
        f"  target >= {TARGET_PER_SECOND:,} texts/s: {verdict_rate} ({per_second:,.0f}/s); "
        f"p99 < {TARGET_P99_MS} ms: {verdict_p99} ({p99:.3f} ms)"
    )


if __name__ == "__main__":
    main()
