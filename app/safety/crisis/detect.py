"""Finding candidates in a post and keeping those the context does not rule out."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from app.safety import _prefilter
from app.safety.crisis.patterns import _finditer, _Part
from app.safety.crisis.rules import _Rule, load_rules
from app.safety.crisis.text import _Candidate, _near, _normalise, _Post, _within
from app.safety.learned import load_model


@dataclass(frozen=True, slots=True)
class CrisisSignal:
    kind: str
    start: int
    end: int
    rule: str


_RULES = load_rules()
_MODEL = load_model("crisis")
RULES_VERSION = _RULES.version
# Candidates the rules ruled out as figurative ("this exam is killing me"), long past ("I
# used to self-harm, two years clean now") or negated ("I'm not suicidal") are not the model's
# to judge: n-grams cannot read idiom, tense or negation. Cross-validated, leaving these to the
# rules costs under 0.01 recall; the other reasons (someone else, hypothetical) cost more, so
# those passages stay the model's to judge too.
CLEARED = frozenset({"past", "figurative", "negated"})
# The kind of a signal from the learned model: it knows "crisis or not", not which kind.
LEARNED = "learned"

# Below this length a post is searched whole: finding windows would cost more than it saves.
_SHORT = 1500


def _candidates(post: _Post, rules: Iterator[_Rule]) -> Iterator[_Candidate]:
    words, text = post.words, post.text
    for rule in rules:
        if any(words.isdisjoint(gate) for gate in rule.requires_gates):
            continue
        for part in rule.parts:
            if any(words.isdisjoint(gate) for gate in part.gates):
                continue
            if part.subs:
                if not all(any(s in text for s in gate) for gate in part.subs):
                    continue
                if part.local and len(text) >= _SHORT:
                    windows = _sub_windows(post, part)
                else:
                    windows = [(0, len(text))]
            else:
                windows = [(0, len(text))] if len(text) < _SHORT else _windows(post, part)
            for lo, hi in windows:
                for start, end in _finditer(part, text, lo, hi):
                    yield _Candidate(rule, start, end, rule.kind)


def _broad_candidates(post: _Post) -> Iterator[_Candidate]:
    """Hits of the broad risk-vocabulary layer: one regex pass over the whole post."""
    rules, scanner = post.rules.broad_rules, post.rules.broad
    if scanner is None:
        return
    # Speed: only the stretches where some broad pattern can match (all its gate words present,
    # near each other) are scanned; most prose has none. Ungated patterns are scanned everywhere.
    # Each pattern is searched only near its own words (see _prefilter.scan_each).
    words = post.words
    windows = [
        [] if any(words.isdisjoint(gate) for gate in part.gates) else _windows(post, part)
        for part in post.rules.broad_parts
    ]
    hits = itertools.chain(
        _prefilter.scan_each(scanner, post.text, windows),
        _prefilter.scan(scanner, post.text, []),  # the patterns without gates: everywhere
    )
    for index, start, end in hits:
        rule = rules[index]
        yield _Candidate(rule, start, end, rule.kind)


def _windows(post: _Post, part: _Part) -> list[tuple[int, int]]:
    """Stretches of the post around a word of each gate."""
    if not part.gates:
        return [(0, len(post.text))]
    anchor, *others = sorted((post.positions(gate) for gate in part.gates), key=len)
    if part.local:
        # Only the sentences that hold a word of every gate, each with the stops around it.
        stops, size = post.stops(), len(post.text)
        spans = []
        reach = part.reach
        for at in anchor:
            i = bisect.bisect_right(stops, at)
            lo, hi = stops[i - 1] if i else 0, stops[i] + 1 if i < len(stops) else size
            # Long unpunctuated stretches: only as far as a match can reach from the word.
            lo, hi = max(lo, at - reach), min(hi, at + reach)
            if all(_within(p, lo, hi) for p in others):
                spans.append((lo, hi))
    else:
        reach = part.reach
        spans = [
            (at - reach, at + reach) for at in anchor if all(_near(p, at, reach) for p in others)
        ]
    merged: list[tuple[int, int]] = []
    for lo, hi in spans:
        lo = max(lo, 0)
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def _sub_windows(post: _Post, part: _Part) -> list[tuple[int, int]]:
    """The sentences (with the stops around them) that hold a string of each of `part.subs`."""
    anchor, *others = sorted((post.sub_positions(gate) for gate in part.subs), key=len)
    stops, size = post.stops(), len(post.text)
    windows: list[tuple[int, int]] = []
    reach = part.reach
    for at in anchor:
        i = bisect.bisect_right(stops, at)
        lo, hi = stops[i - 1] if i else 0, stops[i] + 1 if i < len(stops) else size
        # Long unpunctuated stretches: only as far as a match can reach from the string.
        lo, hi = max(lo, at - reach), min(hi, at + reach)
        if all(_within(p, lo, hi) for p in others):
            if windows and lo <= windows[-1][1]:  # next to each other: one window
                windows[-1] = (windows[-1][0], max(windows[-1][1], hi))
            else:
                windows.append((lo, hi))
    return windows


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether any of `spans` (sorted by start) overlaps [start, end)."""
    i = bisect.bisect_left(spans, (end, -1))
    return any(s < end and start < e for s, e in spans[max(0, i - 8) : i])


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a span to whole words ("'ve taken" -> "I've taken") and trim punctuation."""
    while start > 0 and _in_word(text[start - 1]) and _in_word(text[start]):
        start -= 1
    while end < len(text) and _in_word(text[end - 1]) and _in_word(text[end]):
        end += 1
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return start, end


def _in_word(ch: str) -> bool:
    return ch.isalnum() or ch == "'"


def detect_crisis(text: str) -> list[CrisisSignal]:
    """The rules' signals, and a signal for each other passage the learned model flags."""
    signals, skip = rules_and_skips(text)
    found = _MODEL.hits(text, skip=skip)
    model = [CrisisSignal(LEARNED, h.start, h.end, f"model:{' | '.join(h.cues)}") for h in found]
    return sorted([*signals, *model], key=lambda s: (s.start, s.end, s.rule)) if model else signals


def rules_and_skips(text: str) -> tuple[list[CrisisSignal], list[tuple[int, int]]]:
    """The rules' signals, and the spans the model must leave alone: those signals, and
    words the rules found but judged figurative, long past or negated."""
    cleared: list[tuple[int, int]] = []
    signals = detect_crisis_by_rules(text, cleared=cleared)
    return signals, [*((s.start, s.end) for s in signals), *cleared]


def detect_crisis_by_rules(
    text: str, *, cleared: list[tuple[int, int]] | None = None
) -> list[CrisisSignal]:
    """The rules' signals alone; `cleared` collects candidates ruled out for a reason in
    CLEARED."""
    norm, origin = _normalise(text)
    dropped: list[_Candidate] = []
    post = _Post(norm, _RULES)
    kept: list[_Candidate] = []
    topics: list[_Candidate] = []
    specific = _candidates(post, (r for r in _RULES.rules if not r.needs_topic))
    flagged: list[tuple[int, int]] = []  # spans a specific rule already flagged, sorted
    for c in itertools.chain(specific, _broad_candidates(post)):
        post.split()
        # Speed: a broad hit over words a specific rule already flagged adds nothing a
        # moderator needs; its context checks are skipped. A broad hit that only records a
        # topic is still looked at, for rules that need one.
        if c.rule.broad and flagged and _overlaps(flagged, c.start, c.end):
            continue
        if post.figurative(c.start, c.end):
            if "figurative" in CLEARED:
                dropped.append(c)
            continue
        if not post.subject_ok(c):
            if "subject" in CLEARED:
                dropped.append(c)
            continue
        if c.rule.is_topic:
            topics.append(c)
        if not c.rule.topic_only:
            if (reason := post.cancelled(c)) is not None:
                if reason in CLEARED:
                    dropped.append(c)
                continue
            kept.append(c)
            if not c.rule.broad:
                bisect.insort(flagged, (c.start, c.end))
    if topics:
        # Rules like "I want to do it again" mean something only after the writer has spoken of
        # their own self-harm or suicidality, even in the past tense or negated.
        for c in _candidates(post, (r for r in _RULES.rules if r.needs_topic)):
            if post.figurative(c.start, c.end) or not post.subject_ok(c) or post.cancelled(c):
                continue
            if c.kind == "topic":
                c.kind = min(topics, key=lambda t: abs(t.start - c.start)).kind
            kept.append(c)
    if cleared is not None:
        for c in dropped:
            start, end = _whole_words(norm, c.start, c.end)
            if start < end:
                cleared.append((origin[start], origin[end - 1] + 1) if origin else (start, end))
    signals = set()
    for c in kept:
        start, end = _whole_words(norm, c.start, c.end)
        if start >= end:
            continue
        if origin is not None:
            start, end = origin[start], origin[end - 1] + 1
        signals.add(CrisisSignal(c.kind, start, end, c.rule.id))
    return sorted(signals, key=lambda s: (s.start, s.end, s.rule))
