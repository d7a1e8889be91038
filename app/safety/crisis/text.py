"""One post being judged: its text normalised without losing offsets, its words, sentences and
clauses, and the context checks a candidate goes through (figurative, subject, negation,
hypothetical, past), each found once per post however many candidates ask."""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from app.safety.crisis.patterns import _STOP, _WORD, _Gate
from app.safety.crisis.rules import _Rule, _Rules

# How far back to look for a subject or a negation; sentences can be unpunctuated walls.
_WINDOW = 160


_ONE_TO_ONE = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u2032": "'", "`": "'", "\u00b4": "'",
        "\u201c": '"', "\u201d": '"', "\u2010": "-", "\u2011": "-", "\u2013": "-", "\u2014": "-",
        "\u00a0": " ", "\u2026": ".", "\u2028": "\n", "\u2029": "\n",
    }
)  # fmt: skip
_ONE_TO_ONE_CHARS = tuple(chr(k) for k in _ONE_TO_ONE)
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


@lru_cache(maxsize=4096)
def _fold(ch: str) -> str:
    # Compatibility forms (full-width, ligatures, styled letters) to plain letters; accents and
    # invisible characters (zero-width joiners, bidi marks) dropped so they cannot split a word.
    if unicodedata.category(ch) in ("Cf", "Mn", "Me"):
        return ""
    folded = "".join(
        c for c in unicodedata.normalize("NFKD", ch) if unicodedata.category(c) not in ("Mn", "Me")
    )
    return folded.lower().translate(_ONE_TO_ONE)


def _normalise(text: str) -> tuple[str, list[int] | None]:
    """Lower-cased text for matching, and where each of its characters came from (None: 1:1)."""
    if text.isascii():  # speed: str.translate is slow, and "`" is the one ASCII it changes
        return text.replace("`", "'").lower(), None
    for c in _ONE_TO_ONE_CHARS:  # speed: a few replaces, not a dict look-up per character
        if c in text:
            text = text.replace(c, _ONE_TO_ONE[ord(c)])
    if text.isascii():
        return text.lower(), None
    parts: list[str] = []
    origin: list[int] = []
    pos = 0
    for m in _NON_ASCII.finditer(text):
        parts.append(text[pos : m.start()].lower())
        origin.extend(range(pos, m.start()))
        for i in range(m.start(), m.end()):
            folded = _fold(text[i])
            parts.append(folded)
            origin.extend([i] * len(folded))
        pos = m.end()
    parts.append(text[pos:].lower())
    origin.extend(range(pos, len(text)))
    return "".join(parts), origin


@dataclass(slots=True)
class _Candidate:
    rule: _Rule
    start: int
    end: int
    kind: str


@dataclass(slots=True)
class _Post:
    text: str
    rules: _Rules
    sentences: list[int] = field(default_factory=list)
    clauses: list[int] = field(default_factory=list)
    turns: set[int] = field(default_factory=set)  # clause starts that time does not carry over
    _tense: dict[int, str | None] = field(default_factory=dict)
    # Speed: each clause's past and present cue spans, found once however many candidates it has.
    _cues: dict[int, tuple[list[tuple[int, int]], list[tuple[int, int]]]] = field(
        default_factory=dict
    )
    _negated: dict[int, bool] = field(default_factory=dict)  # by candidate start
    words: set[str] = field(default_factory=set)
    _found: dict[str, list[int]] = field(default_factory=dict)
    _at_gate: dict[_Gate, list[int]] = field(default_factory=dict)
    # Speed: a rule's `requires` and its `unless` over one sentence or the whole post are looked
    # up once per post, not once per candidate (a crisis-dense post has hundreds of candidates).
    _checked: dict[tuple[re.Pattern[str], int, int], bool] = field(default_factory=dict)
    _stops: list[int] | None = None
    _at_sub: dict[_Gate, list[int]] = field(default_factory=dict)
    _idioms: dict[int, list[tuple[int, int]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Speed: every word's positions in one pass (a dense post needs ~200 of them).
        found: dict[str, list[int]] = {}
        for m in _WORD.finditer(self.text):
            found.setdefault(m.group(), []).append(m.start())
        self.words = set(found)
        tokens = {w: found[w][:] for w in found if "'" in w}
        touched = set()
        for token, starts in tokens.items():
            # "don't" is also "don" and "t"; a word inside a longer one is still a whole word
            # ("don't" in "don't've"), so every run of its pieces is one too.
            pieces = token.split("'")
            offsets = list(itertools.accumulate((len(p) + 1 for p in pieces[:-1]), initial=0))
            self.words.update(pieces)
            for i in range(len(pieces)):
                for j in range(i + 1, len(pieces) + 1):
                    if j - i < len(pieces):
                        inner = "'".join(pieces[i:j])
                        found.setdefault(inner, []).extend(at + offsets[i] for at in starts)
                        touched.add(inner)
        for word in touched:
            found[word].sort()
        self._found = found

    def split(self) -> None:
        """Find sentences and clauses; only needed once something has matched."""
        if self.sentences:
            return
        self.sentences, self.turns, breaks = [0], {0}, set()
        for m in self.rules.breaks.finditer(self.text):
            if m.lastgroup == "sentence":
                self.sentences.append(m.end())
                self.turns.add(m.end())
            elif m.lastgroup == "contrast":
                self.turns.add(m.start())
            else:
                breaks.add(m.end())
        self.clauses = sorted(breaks | self.turns)

    def find(self, word: str) -> list[int]:
        """Where `word` occurs as a whole word."""
        return self._found.get(word, [])

    def stops(self) -> list[int]:
        """Where the stops (".", "!", "?") are; a local pattern's match lies between two."""
        if self._stops is None:
            self._stops = [m.start() for m in _STOP.finditer(self.text)]
        return self._stops

    def positions(self, gate: _Gate) -> list[int]:
        """Where the words of a gate start, in order."""
        if (found := self._at_gate.get(gate)) is None:
            lists = [self._found[word] for word in self.words & gate]
            # One word: its positions are already in order (and no reader changes them).
            found = lists[0] if len(lists) == 1 else sorted(itertools.chain.from_iterable(lists))
            self._at_gate[gate] = found
        return found

    def sub_positions(self, gate: _Gate) -> list[int]:
        """Where the strings of a gate start (anywhere, even inside words), in order."""
        if (found := self._at_sub.get(gate)) is None:
            found = []
            text = self.text
            for sub in gate:
                at = text.find(sub)
                while at != -1:
                    found.append(at)
                    at = text.find(sub, at + 1)
            found.sort()
            self._at_sub[gate] = found
        return found

    def span(self, starts: list[int], pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(starts, pos) - 1
        return starts[i], starts[i + 1] if i + 1 < len(starts) else len(self.text)

    def scope(self, name: str, pos: int) -> tuple[int, int]:
        if name == "post":
            return 0, len(self.text)
        return self.span(self.sentences if name == "sentence" else self.clauses, pos)

    def figurative(self, start: int, end: int) -> bool:
        # Idioms are short, so only the neighbourhood of the words can hold one overlapping them.
        # Speed: each stretch of the post is searched for idioms once, however many candidates
        # it holds (a crisis-dense post has one or more in nearly every sentence).
        lo, hi = max(0, start - 80), end + 80
        first, last = lo // _BLOCK, hi // _BLOCK
        for block in range(first, last + 1):
            if (spans := self._idioms.get(block)) is None:
                at = block * _BLOCK
                found = self.rules.figurative.finditer(self.text, max(0, at - 80), at + _BLOCK + 80)
                spans = self._idioms[block] = [m.span() for m in found]
            if any(s < end and start < e for s, e in spans):
                return True
        return False

    def last_person(self, lo: int, hi: int) -> str | None:
        last = None
        for m in self.rules.person.finditer(self.text, max(lo, hi - _WINDOW), hi):
            last = m.lastgroup
        return last

    def subject_ok(self, c: _Candidate) -> bool:
        if c.rule.subject == "any":
            return True
        c_lo, _ = self.span(self.clauses, c.start)
        s_lo, s_hi = self.span(self.sentences, c.start)
        # The nearest person before the words, in the clause first ("Hi all, I want to..."),
        # else anywhere earlier in the sentence; no one named means the writer ("Want to die.").
        person = self.last_person(c_lo, c.start) or self.last_person(s_lo, c.start)
        if person == "other":
            return False
        if c.rule.subject == "first" or person == "first":
            return True
        if any(m.lastgroup == "first" for m in self.rules.person.finditer(self.text, s_lo, s_hi)):
            return True
        return self.tense(self.clause_index(c.start), c) == "present"

    def clause_index(self, pos: int) -> int:
        return bisect.bisect_right(self.clauses, pos) - 1

    def cue(self, index: int, near: _Candidate | None = None) -> str | None:
        """The time a clause speaks of: "past", "present" or None; the cue nearest `near` wins."""
        if near is None and index in self._tense:
            return self._tense[index]
        if (cues := self._cues.get(index)) is None:
            lo = self.clauses[index]
            hi = self.clauses[index + 1] if index + 1 < len(self.clauses) else len(self.text)
            spans = [m.span() for m in self.rules.past.finditer(self.text, lo, hi)]
            now = [
                m.span()
                for m in self.rules.present.finditer(self.text, lo, hi)
                if not any(s <= m.start() < e for s, e in spans)  # "clean now" is not "now"
            ]
            cues = self._cues[index] = (spans, now)
        past, present = cues
        if not past and not present:
            found = None
        elif near is None or not past or not present:
            found = "present" if present else "past"
        else:

            def gap(span: tuple[int, int]) -> int:
                return max(0, span[0] - near.end, near.start - span[1])

            found = "past" if min(map(gap, past)) < min(map(gap, present)) else "present"
        if near is None:
            self._tense[index] = found
        return found

    def tense(self, index: int, c: _Candidate) -> str | None:
        own = self.cue(index, c)
        if own is not None:
            return own
        # "When I was 15, I ...": an earlier clause's time carries over, up to a turn ("but").
        for i in range(index - 1, -1, -1):
            if self.clauses[i + 1] in self.turns:
                break
            if (found := self.cue(i)) is not None:
                return found
        # A trailing bare time phrase (", years ago") also counts, but not a new statement.
        nxt = index + 1
        if (
            nxt < len(self.clauses)
            and self.clauses[nxt] not in self.turns
            and self.cue(nxt) == "past"
        ):
            hi = self.clauses[nxt + 1] if nxt + 1 < len(self.clauses) else len(self.text)
            rest = self.rules.past.sub("", self.text[self.clauses[nxt] : hi])
            if self.rules.person.search(rest) is None:
                return "past"
        return None

    def holds(self, pattern: re.Pattern[str], lo: int, hi: int) -> bool:
        """Whether `pattern` occurs in text[lo:hi] (hi -1: to the end), remembered per post."""
        key = (pattern, lo, hi)
        if (found := self._checked.get(key)) is None:
            end = len(self.text) if hi < 0 else hi
            found = self._checked[key] = pattern.search(self.text, lo, end) is not None
        return found

    def may_hold(self, gates: tuple[_Gate, ...], lo: int, hi: int) -> bool:
        """Whether text[lo:hi] holds a word of every gate (no gates: it may hold anything)."""
        return all(_within(self.positions(gate), lo, hi) for gate in gates)

    def negated(self, lo: int, start: int) -> bool:
        """Whether a negation ends right at `start` (looked for from `lo`), once per start."""
        if (found := self._negated.get(start)) is None:
            found = self.may_hold(self.rules.negation_gates, lo, start) and bool(
                self.rules.negation.search(self.text[lo:start])
            )
            self._negated[start] = found
        return found

    def cancelled(self, c: _Candidate) -> str | None:
        """Why the context rules a candidate out ("requires", "unless", "negated",
        "hypothetical", "past"), or None when it stands."""
        rule = c.rule
        if rule.requires is not None and not self.holds(rule.requires, 0, -1):
            return "requires"
        if rule.unless:
            lo, hi = self.scope(rule.unless_scope, c.start)
            for alt in rule.unless:
                if self.may_hold(alt.gates, lo, hi) and self.holds(alt.pattern, lo, hi):
                    return "unless"
        c_lo, c_hi = self.span(self.clauses, c.start)
        lo = max(c_lo, c.start - _WINDOW)
        if "negation" in rule.checks and self.negated(lo, c.start):
            return "negated"
        if "hypothetical" in rule.checks and self.may_hold(self.rules.hypothetical_gates, lo, c_hi):
            # Searched to the clause end so that a cue can look ahead ("asked if ... I said yes").
            found = self.rules.hypothetical.search(self.text, lo, c_hi)
            if found is not None and found.start() < c.start:
                return "hypothetical"
        if "past" in rule.checks and self.tense(self.clause_index(c.start), c) == "past":
            return "past"
        return None


# Idioms are looked for in blocks of this many characters (and 80 either side).
_BLOCK = 512


def _within(positions: list[int], lo: int, hi: int) -> bool:
    i = bisect.bisect_left(positions, lo)
    return i < len(positions) and positions[i] < hi


def _near(positions: list[int], at: int, reach: int) -> bool:
    i = bisect.bisect_left(positions, at - reach)
    return i < len(positions) and positions[i] <= at + reach
