"""The speed shortcut for the broad "risk vocabulary" layer of crisis detection.

Every broad rule's patterns are joined into ONE compiled regex, with a named group per rule: its
hits define what the layer finds. Since 2026-11 the hits are found pattern by pattern instead,
each pattern only near its own words (`scan_each`), keeping the joined regex's overlap rule; the
joined regex stays as the reference the tests compare against, and for the few patterns without
gates. Only the hits then get the (cached, per-clause) context checks in crisis/. Two things
keep the search cheap:

- Trigger words. crisis/patterns.py reads off each pattern the whole words any match of it must
  contain (its gates, the same machinery the specific rules use). A post holding none of them
  cannot match and is not scanned at all (most ordinary prose); otherwise only the stretches
  around them (the sentence, for patterns that never cross one) are scanned. `triggers` is the
  union of each pattern's rarest gate, for a quick look.
- Word starts. Every broad pattern starts at a word boundary, so the joined regex opens with
  "\\b(?=\\w)" and gives up at once inside words and spaces.

A regex alternation reports only the first branch that matches at a position, so after each hit
the rules joined after its rule are tried once more at that same position (`Scanner.rest`): every
rule matching there is reported, whatever the order of the rules file.

A pattern whose words cannot be worked out (a gate would need a word of one or two letters, such
as "od" or "sh") goes into a second regex that is scanned over the whole post: slower, never less
safe. This module knows nothing about what the words mean, only how to find them fast.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

_START = re.compile(r"\\b|\(\?<[!=]")  # how a broad pattern must begin


@dataclass(frozen=True, slots=True)
class BroadPattern:
    rule: int  # index of the rule it belongs to
    pattern: re.Pattern[str]
    gate: frozenset[str] | None  # words a match must contain one of; None: not known
    reach: int  # how far a match reaches from one of those words
    # The pattern without its leading "\b", if the caller found that faster to search (see
    # crisis/patterns.py: _bare); a match of it counts where a word starts.
    bare: re.Pattern[str] | None = None


@dataclass(frozen=True, slots=True)
class Scanner:
    gated: re.Pattern[str] | None  # patterns with a gate: scanned near trigger words only
    ungated: re.Pattern[str] | None  # patterns without: scanned everywhere
    triggers: frozenset[str]
    reach: int
    # For each rule: the joined regex of the rules after it, in the same group, or None. A regex
    # alternation reports one branch per position; these find the other rules matching there.
    rest: dict[tuple[int, int], re.Pattern[str] | None] = field(default_factory=dict)
    # The gated patterns one by one, in the joined regex's order, each with its rule and with
    # the joined regex's word-start prefix: see `scan_each`.
    each: tuple[tuple[int, re.Pattern[str], re.Pattern[str] | None], ...] = ()


def _join(patterns: Sequence[BroadPattern]) -> re.Pattern[str] | None:
    by_rule: dict[int, list[str]] = {}
    for p in patterns:
        by_rule.setdefault(p.rule, []).append(f"(?:{p.pattern.pattern})")
    if not by_rule:
        return None
    branches = "|".join(f"(?P<b{rule}>{'|'.join(alts)})" for rule, alts in by_rule.items())
    return re.compile(rf"\b(?=\w)(?:{branches})")


def _rests(patterns: Sequence[BroadPattern]) -> dict[int, re.Pattern[str] | None]:
    order = list(dict.fromkeys(p.rule for p in patterns))
    return {
        rule: _join([p for p in patterns if p.rule in order[i + 1 :]])
        for i, rule in enumerate(order)
    }


def build(patterns: Sequence[BroadPattern]) -> Scanner:
    """One scanner for all broad patterns. Raises ValueError for a pattern not at a word start."""
    for p in patterns:
        if not _START.match(p.pattern.pattern):
            raise ValueError(f"broad pattern must start with \\b: {p.pattern.pattern[:60]!r}")
    gated = [p for p in patterns if p.gate]
    ungated = [p for p in patterns if not p.gate]
    triggers = frozenset().union(*(p.gate for p in gated if p.gate))
    # Keyed by (rule, group): group 0 is the gated regex, 1 the ungated one.
    rest = {(r, 0): x for r, x in _rests(gated).items()}
    rest.update({(r, 1): x for r, x in _rests(ungated).items()})
    return Scanner(
        gated=_join(gated),
        ungated=_join(ungated),
        triggers=triggers,
        reach=max((p.reach for p in gated), default=0),
        rest=rest,
        each=tuple(
            (p.rule, re.compile(rf"\b(?=\w)(?:{p.pattern.pattern})"), p.bare) for p in gated
        ),
    )


def scan(
    scanner: Scanner, text: str, windows: Sequence[tuple[int, int]]
) -> Iterator[tuple[int, int, int]]:
    """(rule index, start, end) of every hit: gated patterns within `windows` (sorted, not
    overlapping; the caller finds them from the trigger words), ungated ones everywhere."""
    if scanner.gated is not None:
        for lo, hi in windows:
            for m in scanner.gated.finditer(text, lo, hi):
                yield from _all_at(scanner, 0, m, text, hi)
    if scanner.ungated is not None:
        for m in scanner.ungated.finditer(text):
            yield from _all_at(scanner, 1, m, text, len(text))


def _all_at(
    scanner: Scanner, group: int, m: re.Match[str] | None, text: str, hi: int
) -> Iterator[tuple[int, int, int]]:
    """The hit `m`, then any later rule's hit at the same position (one per rule)."""
    while m is not None and m.lastgroup:
        rule = int(m.lastgroup[1:])
        if m.end() > m.start():
            yield rule, m.start(), m.end()
        rest = scanner.rest.get((rule, group))
        m = rest.match(text, m.start(), hi) if rest is not None else None


def scan_each(
    scanner: Scanner, text: str, windows: Sequence[Sequence[tuple[int, int]]]
) -> Iterator[tuple[int, int, int]]:
    """The hits `scan` finds with the gated regex, found pattern by pattern instead.

    `windows[k]`: where the k-th gated pattern can match (sorted; the caller finds them from
    that pattern's own gate words). Faster than the joined regex when trigger words are many: each
    pattern is searched only near its own words. The joined regex's overlap rule is kept: the
    leftmost position any pattern matches at wins; there every rule matching is reported (its
    first pattern that matches, in order), and the search goes on from the end of the first
    rule's match, so hits inside it are skipped as the joined regex skips them.
    """
    each = scanner.each
    at = [0] * len(each)  # per pattern: its first window that may still hold a match
    found: list[re.Match[str] | None] = [None] * len(each)
    live = [k for k in range(len(each)) if windows[k]]

    def search(k: int, pos: int) -> re.Match[str] | None:
        spans, pattern, bare = windows[k], each[k][1], each[k][2]
        while at[k] < len(spans):
            lo, hi = spans[at[k]]
            if hi > pos:
                if bare is None:
                    m = pattern.search(text, max(lo, pos), hi)
                else:  # the first place the bare pattern matches at a word start
                    start = max(lo, pos)
                    while (m := bare.search(text, start, hi)) is not None:
                        q = m.start()
                        if _is_word(text[q]) and not (q > 0 and _is_word(text[q - 1])):
                            break
                        start = q + 1
                if m is not None:
                    return m
            at[k] += 1
        return None

    for k in live:
        found[k] = search(k, 0)
    pos = 0
    while True:
        first = -1
        for k in live:
            m = found[k]
            if m is not None and m.start() < pos:
                m = found[k] = search(k, pos)
            if m is not None and (first < 0 or m.start() < first):
                first = m.start()
        if first < 0:
            return
        rules: set[int] = set()
        end = -1
        for k in live:  # in the joined regex's order
            m, rule = found[k], each[k][0]
            if m is not None and m.start() == first and rule not in rules:
                rules.add(rule)
                if m.end() > m.start():
                    yield rule, first, m.end()
                if end < 0:
                    end = m.end()
        pos = end if end > first else first + 1


def _is_word(ch: str) -> bool:  # what \w matches
    return ch.isalnum() or ch == "_"
