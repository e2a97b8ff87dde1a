"""Operators' regular expressions, vetted before use: nothing a policy holds can stall a check.

Python's `re` backtracks and cannot be interrupted, so a pattern is accepted only if (1) its parse
tree has none of the shapes that backtrack exponentially (a repeat inside a repeat, alternatives
under a repeat, a backreference) and holds at most three unbounded repeats, and (2) it then runs
over adversarial strings built from its own literals, doubling their length up to 8,192
characters, within a time budget, which catches the polynomial cases (".*a.*b" over a long
text). Checking the shape first bounds how long the timing run itself can take. The safe subset
was preferred to a subprocess with a timeout (a process per pattern at load time, and nothing
that stops a slow pattern meeting a new text later) and to RE2 (not installable here).

`required_literal` gives the plain text every match must contain, so the engine can skip a
pattern whose literal its term scan did not see.
"""

from __future__ import annotations

import re
import time
from typing import Any

from redleaf.kit.i18n import lazy

try:  # Python 3.11+: the parser moved under re; its shape is stable across 3.11-3.13.
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]


class PatternRejected(ValueError):
    """A pattern that could take too long on some input, or does not compile. `msgid` and
    `params` give the translatable reason."""

    def __init__(self, msgid: str, **params: object) -> None:
        self.msgid = msgid
        self.params = params
        super().__init__(msgid % params if params else msgid)


# Strings built from a pattern's literals, repeated, with a tail that makes a match fail late:
# what drives a backtracking engine into its worst case.
_ADVERSARIAL_LENGTH = 8_192
_MAX_UNBOUNDED = 3
_PATTERN_BUDGET_SECONDS = 0.05
MAX_PATTERN_LENGTH = 500

_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT}
_POSSESSIVE = getattr(sre_constants, "POSSESSIVE_REPEAT", None)
_ATOMIC = getattr(sre_constants, "ATOMIC_GROUP", None)


def _walk_unsafe(parsed: Any, under_repeat: bool) -> str | None:
    """The first unsafe shape found in a parse tree, or None."""
    for op, value in parsed:
        if op in _REPEATS or (_POSSESSIVE is not None and op == _POSSESSIVE):
            low, high, body = value
            unbounded_ish = high is sre_constants.MAXREPEAT or high > 16
            if under_repeat and high > 1:
                return lazy("a repeat inside a repeat")
            found = _walk_unsafe(body, under_repeat or unbounded_ish)
            if found:
                return found
        elif op == sre_constants.BRANCH:
            if under_repeat:
                return lazy("alternatives inside a repeat")
            for branch in value[1]:
                found = _walk_unsafe(branch, under_repeat)
                if found:
                    return found
        elif op == sre_constants.SUBPATTERN:
            found = _walk_unsafe(value[-1], under_repeat)
            if found:
                return found
        elif op == _ATOMIC:
            found = _walk_unsafe(value, under_repeat)
            if found:
                return found
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            found = _walk_unsafe(value[1], under_repeat)
            if found:
                return found
        elif op in (sre_constants.GROUPREF, sre_constants.GROUPREF_EXISTS):
            return lazy("a backreference")
    return None


def _literals(parsed: Any) -> list[str]:
    out: list[str] = []
    for op, value in parsed:
        if op == sre_constants.LITERAL:
            out.append(chr(value))
        elif op in _REPEATS or (_POSSESSIVE is not None and op == _POSSESSIVE):
            out.extend(_literals(value[2]))
        elif op == sre_constants.SUBPATTERN:
            out.extend(_literals(value[-1]))
        elif op == sre_constants.BRANCH:
            for branch in value[1]:
                out.extend(_literals(branch))
    return out


def required_literal(compiled: re.Pattern[str]) -> str | None:
    """The longest run of plain characters every match must contain (in the form the searched
    text has: lower case under IGNORECASE), or None. Used to skip a pattern without running it
    when its literal is absent, which the term automaton tells for all patterns in one pass."""
    parsed = sre_parse.parse(compiled.pattern, compiled.flags & ~re.UNICODE)
    best: list[str] = []
    run: list[str] = []
    for op, value in parsed:
        if op == sre_constants.LITERAL:
            run.append(chr(value))
            continue
        if len(run) > len(best):
            best = run
        run = []
        if op == sre_constants.AT:  # \b, ^, $: zero-width, but a run must not span them
            continue
    if len(run) > len(best):
        best = run
    if len(best) < 2:
        return None
    literal = "".join(best)
    if compiled.flags & re.IGNORECASE:
        literal = literal.lower()
    return literal


def _count_unbounded(parsed: Any) -> int:
    count = 0
    for op, value in parsed:
        if op in _REPEATS or (_POSSESSIVE is not None and op == _POSSESSIVE):
            count += (value[1] is sre_constants.MAXREPEAT or value[1] > 16) + _count_unbounded(
                value[2]
            )
        elif op == sre_constants.SUBPATTERN:
            count += _count_unbounded(value[-1])
        elif op == _ATOMIC:
            count += _count_unbounded(value)
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            count += _count_unbounded(value[1])
        elif op == sre_constants.BRANCH:
            count += max((_count_unbounded(branch) for branch in value[1]), default=0)
    return count


def _adversarial_units(parsed: Any) -> list[str]:
    literals = "".join(dict.fromkeys(_literals(parsed))) or "a"
    return list(dict.fromkeys([literals, literals[:1], literals[:2], literals + " ", "a1 ", "傻"]))


def _time_searches(compiled: re.Pattern[str], texts: list[str]) -> float:
    started = time.perf_counter()
    for text in texts:
        compiled.search(text)
        if time.perf_counter() - started > _PATTERN_BUDGET_SECONDS:
            break  # already over: no need to finish this size
    return time.perf_counter() - started


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """Compile an operator's pattern, or raise PatternRejected saying why it is refused."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise PatternRejected(
            lazy("The pattern is longer than %(limit)s characters."), limit=MAX_PATTERN_LENGTH
        )
    try:
        parsed = sre_parse.parse(pattern, 0)
        compiled = re.compile(pattern)
    except (re.error, OverflowError, RecursionError) as error:
        raise PatternRejected(
            lazy("The pattern does not compile: %(error)s"), error=str(error)
        ) from None
    unsafe = _walk_unsafe(parsed, False)
    if not unsafe and _count_unbounded(parsed) > _MAX_UNBOUNDED:
        unsafe = lazy("more than three unbounded repeats")
    if unsafe:
        raise PatternRejected(
            lazy("The pattern may run for too long on some texts (%(shape)s)."), shape=unsafe
        )
    # Polynomial backtracking (".*a.*b") shows as time growing faster than the text: double the
    # length until the adversarial texts are long, stopping at the first size over budget. With
    # at most three unbounded repeats, one doubling costs at most 8x the last size's time.
    units = _adversarial_units(parsed)
    length = 64
    while length <= _ADVERSARIAL_LENGTH:
        texts: list[str] = []
        for unit in units:
            body = (unit * (length // len(unit) + 1))[:length]
            texts.extend((body, body + "\x00!", "!" + body))
        # The best of two runs, so a busy machine does not refuse a good pattern.
        elapsed = min(_time_searches(compiled, texts) for _attempt in range(2))
        if elapsed > _PATTERN_BUDGET_SECONDS:
            raise PatternRejected(
                lazy(
                    "The pattern took %(ms)s ms on test texts of %(length)s characters; "
                    "the limit is %(limit)s ms."
                ),
                ms=round(elapsed * 1000),
                length=length,
                limit=round(_PATTERN_BUDGET_SECONDS * 1000),
            )
        length *= 2
    return compiled
