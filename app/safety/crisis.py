"""Crisis detection on post text, and the help-now resources shown when it fires.

The rules live in data/crisis_rules.toml (its header explains how they are read); this module is
the engine. A rule's pattern finds a candidate, then the context around it decides: whose words
they are (the writer's or someone else's), whether they are negated, hypothetical, figurative,
or about a time long past. Anything not clearly ruled out stays flagged: a missed crisis costs
far more than a moderator glancing at a post that was fine.
"""

from __future__ import annotations

import bisect
import itertools
import re
import tomllib
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from app.safety import _prefilter

try:  # Python's own regex parser, read to find each pattern's gates (see _part).
    from re import _compiler, _constants, _parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    _compiler = _constants = _parser = None

KINDS = frozenset({"suicidal_intent", "self_harm", "plan_or_means", "goodbye", "immediate_danger"})
_DATA = Path(__file__).parent / "data"
RULES_FILE = _DATA / "crisis_rules.toml"
RESOURCES_FILE = _DATA / "help_resources.toml"

_SUBJECT_MODES = ("first", "explicit", "any")
_SCOPES = ("clause", "sentence", "post")
_CHECKS = frozenset({"negation", "hypothetical", "past"})
_MACRO = re.compile(r"\{([a-z_]+)\}")
# How far back to look for a subject or a negation; sentences can be unpunctuated walls.
_WINDOW = 160


@dataclass(frozen=True, slots=True)
class CrisisSignal:
    kind: str
    start: int
    end: int
    rule: str


@dataclass(frozen=True, slots=True)
class HelpResource:
    name: str
    contact: str
    url: str | None = None
    region: str | None = None


@dataclass(frozen=True, slots=True)
class _Rule:
    id: str
    kind: str  # one of KINDS, or "topic": the kind of the author's own earlier words
    parts: tuple[_Part, ...]
    # Each `unless` alternative on its own, with its gates: one shared by many rules
    # ({broad_exempt}) is searched once per sentence, and only in sentences holding its words.
    unless: tuple[_Part, ...]
    unless_scope: str
    requires: re.Pattern[str] | None  # must also appear somewhere in the post
    requires_gates: tuple[_Gate, ...]
    subject: str
    checks: frozenset[str]
    needs_topic: bool
    is_topic: bool
    topic_only: bool
    broad: bool = False  # part of the broad risk-vocabulary layer (see _prefilter)


@dataclass(frozen=True, slots=True)
class _Rules:
    version: str
    rules: tuple[_Rule, ...]
    breaks: re.Pattern[str]  # groups "sentence", "contrast" and "clause"
    negation: re.Pattern[str]
    hypothetical: re.Pattern[str]
    past: re.Pattern[str]
    present: re.Pattern[str]
    figurative: re.Pattern[str]
    person: re.Pattern[str]
    # The broad layer: all `layer = "broad"` rules joined into one regex (see _prefilter).
    broad: _prefilter.Scanner | None = None
    broad_rules: tuple[_Rule, ...] = ()
    broad_parts: tuple[_Part, ...] = ()  # the broad rules' gated patterns
    # Speed: words a negation or hypothetical cue must contain; a candidate with none of them
    # before it in its window is not searched for one (empty: always searched).
    negation_gates: tuple[_Gate, ...] = ()
    hypothetical_gates: tuple[_Gate, ...] = ()


# --- gates: which patterns a post can match at all ----------------------------------------------

# Speed: a pattern is only run on a post that holds the whole words every one of its matches
# must contain, and only near them. Those words are read off the compiled pattern, so they
# cannot drift from the rules; a set of them (a gate) is checked against the post's set of words,
# which is built once. A gate holding a word from _USELESS is no filter at all; _COMMON words
# make a gate rank after rarer ones.
_USELESS = frozenset(
    [
        "i", "a", "the", "to", "my", "it", "and", "of", "in", "is", "me", "you", "that", "for",
        "on", "be", "so", "do", "at", "this", "was", "with", "have", "but", "not", "just", "all",
        "like", "can", "im", "i'm", "i've", "i'll", "i'd", "are", "as", "if", "or", "no", "an",
        "by", "we", "up", "go", "am", "he", "she", "they", "her", "him", "his", "them", "our",
        "your", "it's", "get", "got",
    ]
)  # fmt: skip
_COMMON = frozenset(
    [
        "had", "one", "out", "day", "has", "how", "man", "new", "now", "old", "see", "two", "way",
        "who", "did", "its", "let", "put", "say", "too", "use", "will", "from", "know", "want",
        "been", "good", "much", "some", "time", "very", "when", "come", "here", "long", "make",
        "many", "more", "only", "over", "such", "take", "than", "well", "were", "what", "about",
        "after", "again", "back", "could", "every", "feel", "going", "into", "life", "made", "most",
        "need", "other", "right", "should", "still", "their", "there", "these", "think", "those",
        "through", "where", "which", "while", "would", "really", "thing", "things", "because",
        "before", "being", "down", "don", "even", "never", "people", "little", "tell", "told",
        "ever", "also", "off", "own", "same", "went", "why", "doing", "done", "gonna", "wanna",
        "today", "tonight", "night", "week", "work", "home", "last", "first", "next", "feeling",
        "able", "year", "years", "don't", "can't", "didn't", "won't", "anymore",
    ]
)  # fmt: skip
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_STOP = re.compile(r"[.!?]")
_C = _constants
_REPEATS = (_C.MAX_REPEAT, _C.MIN_REPEAT, _C.POSSESSIVE_REPEAT) if _C else ()
_Gate = frozenset[str]  # the post must contain at least one of these words


@dataclass(frozen=True, slots=True)
class _Part:
    pattern: re.Pattern[str]
    gates: tuple[_Gate, ...]
    reach: int  # how far a match (and what it looks at) can reach from a gate word
    local: bool = False  # no match (nor what it looks at) runs past a ".", "!" or "?"
    # Speed, for a pattern without whole-word gates: strings every match must contain (one of
    # each set), found by a plain substring search. Exact, so the pattern is only searched in
    # posts (and, when local, sentences) holding them.
    subs: tuple[_Gate, ...] = ()
    # Speed: the pattern without its leading "\b", when that lets the regex engine skip ahead
    # to the letters a match can start with (it cannot with "\b" first); see _finditer.
    bare: re.Pattern[str] | None = None


def _part(pattern: re.Pattern[str]) -> _Part:
    try:
        parsed = _parser.parse(pattern.pattern)
        gates, reach = _gates_for(parsed), min(_width(parsed) + 20, 400)
        subs = () if gates else _subs_for(pattern, parsed)
        local = not _crosses(list(parsed), False)
        return _Part(pattern, gates, reach, local, subs, _bare(pattern))
    except Exception:
        # The gates read Python's private regex parser. Should a future Python change it, a
        # pattern is simply searched everywhere: slower, never less safe.
        return _Part(pattern, (), 400)


def _bare(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    source = pattern.pattern
    if pattern.flags & ~re.UNICODE or not source.startswith("\\b"):
        return None
    if len(_alternatives(source)) > 1:
        return None  # the "\b" must apply to every match
    try:
        parsed = _parser.parse(source[2:])
        if parsed.getwidth()[0] == 0:
            return None  # a match could be empty: leave it to finditer's own rules
        prefix = _compiler._get_literal_prefix(parsed, 0)[0]
        if not prefix and not _compiler._get_charset_prefix(parsed, 0):
            return None  # no faster without the "\b"
        return re.compile(source[2:])
    except Exception:  # Python's private regex internals changed: the plain way, never less safe
        return None


def _finditer(part: _Part, text: str, lo: int, hi: int) -> Iterator[tuple[int, int]]:
    """The spans `part.pattern.finditer(text, lo, hi)` finds (none of them empty)."""
    bare = part.bare
    if bare is None:
        for found in part.pattern.finditer(text, lo, hi):
            if found.end() > found.start():
                yield found.start(), found.end()
        return
    # The same matches: the first place the bare pattern matches that is at a word boundary
    # is where the whole pattern first matches, with the same end.
    pos = lo
    while (m := bare.search(text, pos, hi)) is not None:
        at = m.start()
        if (at > 0 and _is_word(text[at - 1])) == _is_word(text[at]):
            pos = at + 1
            continue
        yield at, m.end()
        pos = m.end()


def _is_word(ch: str) -> bool:  # what \w matches
    return ch.isalnum() or ch == "_"


_STOPS = ".!?"


def _crosses(items: list[Any], tail_ok: bool) -> bool:
    """Whether a match of `items` could run on past a stop (".", "!", "?").

    `tail_ok`: inside a look-ahead, a stop may be the last thing looked at ("(?=\\s*[.!])"); the
    window a local pattern is searched in always ends just after a stop, so that is still seen.
    """
    for i, (op, av) in enumerate(items):
        last = tail_ok and all(o in (_C.AT, _C.ASSERT, _C.ASSERT_NOT) for o, _ in items[i + 1 :])
        if op is _C.LITERAL:
            if chr(av) in _STOPS and not last:
                return True
        elif op in (_C.NOT_LITERAL, _C.ANY):
            if not last:
                return True
        elif op is _C.IN:
            if _stop_in(av) and not last:
                return True
        elif op is _C.BRANCH:
            if any(_crosses(list(alt), last) for alt in av[1]):
                return True
        elif op is _C.SUBPATTERN:
            if _crosses(list(av[-1]), last):
                return True
        elif op in _REPEATS:
            if _crosses(list(av[2]), last and av[1] == 1):
                return True
        elif op in (_C.ASSERT, _C.ASSERT_NOT):
            body = list(av[1])
            # A look-behind is read backwards: only its first item may look at the stop before.
            if _crosses(body if av[0] == 1 else body[::-1], True):
                return True
        elif op is not _C.AT:
            return True
    return False


def _stop_in(items: Any) -> bool:
    """Whether a character set ("[...]") can match a stop."""
    negate = bool(items) and items[0][0] is _C.NEGATE
    return any(_covers(items, c) != negate for c in _STOPS)


def _covers(items: Any, c: str) -> bool:
    for op, av in items:
        if op is _C.LITERAL and chr(av) == c:
            return True
        if op is _C.RANGE and av[0] <= ord(c) <= av[1]:
            return True
        if op is _C.CATEGORY and av in (
            _C.CATEGORY_NOT_WORD,
            _C.CATEGORY_NOT_SPACE,
            _C.CATEGORY_NOT_DIGIT,
        ):
            return True
    return False


def _width(items: Any) -> int:
    """The longest a match can be, counting look-arounds and allowing for long words."""
    total = 0
    for op, av in items:
        if op in (_C.ASSERT, _C.ASSERT_NOT):
            total += _width(av[1])
        elif op is _C.BRANCH:
            total += max(_width(alt) for alt in av[1])
        elif op is _C.SUBPATTERN:
            total += _width(av[-1])
        elif op in _REPEATS:
            body = _width(av[2])
            # Unbounded: a run of whitespace counts as 4, a word as 24, anything else 3 times.
            most = av[1] if av[1] != _C.MAXREPEAT else (4 if _edge(av[2], False, False) else 24)
            total += body * max(av[0], most if body == 1 else min(most, 3))
        elif op is not _C.AT:
            total += 1
    return total


def _cost(gate: _Gate) -> int:
    # Words of one or two letters are useless too: they hide inside others ("t" in "can;t").
    return sum(1000 if w in _USELESS or len(w) < 3 else 30 if w in _COMMON else 1 for w in gate)


def _gates(items: Any, left: bool, right: bool, carry: str = "") -> list[_Gate]:
    """Word sets a match of `items` needs (each: one of its words appears as a whole word).

    `left`/`right`: whether a word boundary surely comes just before/after the items; `carry`:
    letters that come just before them, the start of a word the items finish.
    """
    gates: list[_Gate] = []
    run: list[str] = list(carry)
    bounded = left  # whether the current run started at a word boundary

    def close(boundary: bool) -> None:
        word = "".join(run)
        whole = run and word[0].isalnum() and word[-1].isalnum() and _WORD.fullmatch(word)
        if whole and bounded and boundary:
            gates.append(frozenset({word}))
        run.clear()

    def either(alternatives: Any, right_here: bool) -> None:
        # The compiler moves a shared start out of alternatives ("su(?:icide|cide)"); the run
        # so far is carried into each of them so that whole words come out again.
        chosen = []
        for alt in alternatives:
            options = _gates(alt, bounded, right_here, "".join(run))
            if not options:
                run.clear()
                return
            chosen.append(min(options, key=_cost))
        run.clear()
        gates.append(frozenset().union(*chosen))

    items = _consuming(items)
    for i, (op, av) in enumerate(items):
        if not run:
            bounded = _edge(items[:i], left, at_end=True)
        if op is _C.LITERAL and (chr(av).isalnum() or chr(av) == "'"):
            run.append(chr(av))
            continue
        right_here = _edge(items[i + 1 :], right, at_end=False)
        if op is _C.BRANCH:
            either(av[1], right_here)
        elif op is _C.SUBPATTERN and not av[1]:  # no inline flags such as (?i)
            either([av[-1]], right_here)
        elif op in _REPEATS and av[0] == 0 and av[1] == 1:  # "x?" is "x" or nothing
            either([av[2], []], right_here)
        elif op in _REPEATS and av[0] >= 1 and not _edge([(op, av)], False, at_end=False):
            either([av[2]], right_here and _edge(av[2], right_here, at_end=False))
        else:
            close(_edge(items[i:], right, at_end=False))
    close(right)
    return gates


def _consuming(items: Any) -> list[Any]:
    return [(op, av) for op, av in items if op not in (_C.ASSERT, _C.ASSERT_NOT)]  # zero-width


def _edge(items: Any, outer: bool, at_end: bool) -> bool:
    """Whether a word boundary surely sits at the end (or start) of what `items` match.

    `outer`: whether one sits there when the items match nothing at all.
    """
    items = _consuming(items)
    if not items:
        return outer
    op, av = items[-1] if at_end else items[0]
    if_empty = _edge(items[:-1] if at_end else items[1:], outer, at_end)
    if op is _C.AT:
        return av in (_C.AT_BOUNDARY, _C.AT_BEGINNING, _C.AT_BEGINNING_STRING, _C.AT_END)
    if op is _C.LITERAL:
        return not (chr(av).isalnum() or chr(av) in "'_")
    if op is _C.IN:
        return all(
            x in ((_C.CATEGORY, _C.CATEGORY_SPACE), (_C.CATEGORY, _C.CATEGORY_NOT_WORD))
            or (x[0] is _C.LITERAL and not (chr(x[1]).isalnum() or chr(x[1]) in "'_"))
            for x in av
        )
    if op is _C.BRANCH:
        return all(_edge(alt, if_empty, at_end) for alt in av[1])
    if op is _C.SUBPATTERN:
        return _edge(av[-1], if_empty, at_end)
    if op in _REPEATS:
        once = _edge(av[2], if_empty, at_end)
        return once if av[0] >= 1 else once and if_empty
    return False


def _subs_for(pattern: re.Pattern[str], parsed: Any) -> tuple[_Gate, ...]:
    if pattern.flags & ~re.UNICODE:  # case-insensitive and other flags: no plain substrings
        return ()
    try:
        found = _subs(parsed)
    except ValueError:
        return ()
    useful = {g for g in found if min(map(len, g)) >= 3}
    return tuple(sorted(useful, key=lambda g: (-min(map(len, g)), len(g), sorted(g)))[:4])


def _subs(items: Any) -> list[_Gate]:
    """Sets of strings a match of `items` must consume (one string of each set, verbatim)."""
    gates: list[_Gate] = []
    run: list[str] = []

    def close() -> None:
        if run:
            gates.append(frozenset({"".join(run)}))
            run.clear()

    for op, av in items:
        if op is _C.LITERAL:
            run.append(chr(av))
            continue
        if op is _C.AT:  # zero-width: the characters either side stay next to each other
            continue
        close()
        if op is _C.BRANCH:
            chosen = []
            for alt in av[1]:
                options = _subs(alt)
                if not options:
                    break
                chosen.append(max(options, key=lambda g: min(map(len, g))))
            else:
                gates.append(frozenset().union(*chosen))
        elif op is _C.SUBPATTERN:
            if av[1] or av[2]:  # inline flags such as (?i)
                raise ValueError("inline flags")
            gates.extend(_subs(av[-1]))
        elif op in _REPEATS and av[0] >= 1:
            gates.extend(_subs(av[2]))
    close()
    return gates


def _gates_for(parsed: Any) -> tuple[_Gate, ...]:
    found = {g for g in _gates(parsed, False, False) if _cost(g) < 1000}
    return tuple(sorted(found, key=_cost)[:4])


# --- loading the rules -------------------------------------------------------------------------


def _expand(source: str, macros: Mapping[str, str], where: str) -> str:
    def macro(m: re.Match[str]) -> str:
        if m.group(1) not in macros:
            raise ValueError(f"{where}: unknown macro {{{m.group(1)}}}")
        return macros[m.group(1)]

    # A space in a rule means "any run of whitespace", so rules read like the words they match.
    return _MACRO.sub(macro, source).replace(" ", r"\s+")


def _compile_each(
    sources: Any, macros: Mapping[str, str], where: str, *, empty: bool = False
) -> list[re.Pattern[str]]:
    if isinstance(sources, str):
        sources = [sources]
    if empty and sources == []:
        return []
    if not isinstance(sources, list) or not sources or not all(isinstance(s, str) for s in sources):
        raise ValueError(f"{where}: expected a non-empty list of patterns")
    compiled = []
    for source in sources:
        try:
            compiled.append(re.compile(_expand(source, macros, where)))
        except re.error as exc:
            raise ValueError(f"{where}: bad pattern {source!r}: {exc}") from exc
    return compiled


def _alternatives(source: str) -> list[str]:
    """The top-level alternatives of a regex, with any group wrapping all of it opened up
    ("(?:a|(?:b|c))" -> ["a", "b", "c"]); a pattern matches where one of them does."""
    if source.startswith("(?:") and _closing(source, 0) == len(source) - 1:
        return _alternatives(source[3:-1])
    parts, depth, start, i = [], 0, 0, 0
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            i = _class_end(source, i)
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(source[start:i])
            start = i + 1
        i += 1
    parts.append(source[start:])
    if len(parts) == 1:
        return parts
    return [alt for part in parts for alt in _alternatives(part)]


def _closing(source: str, at: int) -> int:
    """Where the group opened at `at` closes (-1: never)."""
    depth, i = 0, at
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            i = _class_end(source, i)
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _class_end(source: str, at: int) -> int:
    """Where the character class opened at `at` ends ("]" right after "[" or "[^" is a letter)."""
    i = at + 1
    if i < len(source) and source[i] == "^":
        i += 1
    if i < len(source) and source[i] == "]":
        i += 1
    while i < len(source) and source[i] != "]":
        i += 2 if source[i] == "\\" else 1
    return i


def _compile(sources: Any, macros: Mapping[str, str], where: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p.pattern})" for p in _compile_each(sources, macros, where)))


def _compile_rules(data: Mapping[str, Any]) -> _Rules:
    macros: dict[str, str] = {}
    for name, value in data.get("define", {}).items():
        macros[name] = f"(?:{_expand(value, macros, f'define.{name}')})"
    ctx = data.get("context")
    if not isinstance(data.get("version"), str) or not isinstance(ctx, dict):
        raise ValueError("crisis rules need a version string and a [context] table")
    rules, seen = [], set()
    shared: dict[str, _Part] = {}
    for n, raw in enumerate(data.get("rule", [])):
        if not isinstance(raw, dict):
            raise ValueError(f"rule {n}: expected a [[rule]] table")
        rid = raw.get("id")
        where = f"rule {rid or n}"
        kind = raw.get("kind")
        subject = raw.get("subject", "first")
        scope = raw.get("unless_scope", "clause")
        skip = set(raw.get("skip", []))
        if not isinstance(rid, str) or rid in seen:
            raise ValueError(f"{where}: missing or duplicate id")
        if kind not in KINDS and not (kind == "topic" and raw.get("needs_topic")):
            raise ValueError(f"{where}: unknown kind {kind!r}")
        if subject not in _SUBJECT_MODES or scope not in _SCOPES or not skip <= _CHECKS:
            raise ValueError(f"{where}: bad subject, unless_scope or skip")
        if raw.get("layer", "specific") not in ("specific", "broad"):
            raise ValueError(f"{where}: bad layer")
        seen.add(rid)
        rules.append(
            _Rule(
                id=rid,
                kind=kind,
                parts=tuple(_part(p) for p in _compile_each(raw.get("patterns"), macros, where)),
                unless=tuple(
                    shared.setdefault(alt, _part(re.compile(alt)))
                    for p in _compile_each(raw.get("unless", []) or [], macros, where, empty=True)
                    for alt in _alternatives(p.pattern)
                ),
                unless_scope=scope,
                requires=(
                    requires := _compile(raw["requires"], macros, where)
                    if "requires" in raw
                    else None
                ),
                requires_gates=() if requires is None else _part(requires).gates,
                subject=subject,
                checks=_CHECKS - skip,
                needs_topic=bool(raw.get("needs_topic", False)),
                is_topic=bool(raw.get("topic", True)),
                topic_only=bool(raw.get("topic_only", False)),
                broad=raw.get("layer") == "broad",
            )
        )
    if not rules:
        raise ValueError("crisis rules define no [[rule]]")
    broad = tuple(r for r in rules if r.broad)

    def context(key: str) -> re.Pattern[str]:
        return _compile(ctx.get(key), macros, f"context.{key}")

    person = (
        f"(?P<first>{_expand(ctx.get('first_person', ''), macros, 'first_person')})"
        f"|(?P<other>{_expand(ctx.get('other_person', ''), macros, 'other_person')})"
    )
    return _Rules(
        version=data["version"],
        rules=tuple(r for r in rules if not r.broad),
        breaks=re.compile(
            f"(?P<sentence>{context('sentence_break').pattern})"
            f"|(?P<contrast>{context('contrast').pattern})"
            f"|(?P<clause>{context('clause_break').pattern})"
        ),
        negation=context("negation"),
        hypothetical=context("hypothetical"),
        past=context("past"),
        present=context("present"),
        figurative=context("figurative"),
        person=re.compile(person),
        broad=_prefilter.build(
            [
                _prefilter.BroadPattern(i, part.pattern, _broad_gate(part), part.reach, part.bare)
                for i, rule in enumerate(broad)
                for part in rule.parts
            ]
        ),
        broad_rules=broad,
        broad_parts=tuple(part for rule in broad for part in rule.parts if part.gates),
        negation_gates=_cue_gates(context("negation")),
        hypothetical_gates=_cue_gates(context("hypothetical")),
    )


def _cue_gates(pattern: re.Pattern[str]) -> tuple[_Gate, ...]:
    # Short words ("no", "if") are fine here: they are looked up as whole words in the post's
    # own word set, never used to rank patterns.
    try:
        gates = _gates(_parser.parse(pattern.pattern), False, False)
    except Exception:  # see _part: slower, never less safe
        return ()
    return (min(gates, key=len),) if gates else ()


def _broad_gate(part: _Part) -> frozenset[str] | None:
    # The rarest of a pattern's gates is the one its broad-layer trigger words come from.
    return min(part.gates, key=_cost) if part.gates else None


def load_rules(path: Path = RULES_FILE) -> _Rules:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"crisis rules {path}: cannot be read: {exc}") from exc
    return _compile_rules(data)


_RULES = load_rules()
RULES_VERSION = _RULES.version


# --- normalising without losing offsets --------------------------------------------------------

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


# --- judging one post --------------------------------------------------------------------------


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
            found = self._at_gate[gate] = sorted(
                at for word in self.words & gate for at in self.find(word)
            )
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

    def cancelled(self, c: _Candidate) -> bool:
        rule = c.rule
        if rule.requires is not None and not self.holds(rule.requires, 0, -1):
            return True
        if rule.unless:
            lo, hi = self.scope(rule.unless_scope, c.start)
            for alt in rule.unless:
                if self.may_hold(alt.gates, lo, hi) and self.holds(alt.pattern, lo, hi):
                    return True
        c_lo, c_hi = self.span(self.clauses, c.start)
        lo = max(c_lo, c.start - _WINDOW)
        if "negation" in rule.checks and self.negated(lo, c.start):
            return True
        if "hypothetical" in rule.checks and self.may_hold(self.rules.hypothetical_gates, lo, c_hi):
            # Searched to the clause end so that a cue can look ahead ("asked if ... I said yes").
            found = self.rules.hypothetical.search(self.text, lo, c_hi)
            if found is not None and found.start() < c.start:
                return True
        return "past" in rule.checks and self.tense(self.clause_index(c.start), c) == "past"


# Idioms are looked for in blocks of this many characters (and 80 either side).
_BLOCK = 512

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


def _within(positions: list[int], lo: int, hi: int) -> bool:
    i = bisect.bisect_left(positions, lo)
    return i < len(positions) and positions[i] < hi


def _near(positions: list[int], at: int, reach: int) -> bool:
    i = bisect.bisect_left(positions, at - reach)
    return i < len(positions) and positions[i] <= at + reach


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
    norm, origin = _normalise(text)
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
        if post.figurative(c.start, c.end) or not post.subject_ok(c):
            continue
        if c.rule.is_topic:
            topics.append(c)
        if not c.rule.topic_only and not post.cancelled(c):
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
    signals = set()
    for c in kept:
        start, end = _whole_words(norm, c.start, c.end)
        if start >= end:
            continue
        if origin is not None:
            start, end = origin[start], origin[end - 1] + 1
        signals.add(CrisisSignal(c.kind, start, end, c.rule.id))
    return sorted(signals, key=lambda s: (s.start, s.end, s.rule))


# --- help-now resources ------------------------------------------------------------------------


def load_resources(path: Path | None = None) -> list[HelpResource]:
    path = RESOURCES_FILE if path is None else path
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"help resources file {path}: cannot be read: {exc}") from exc
    entries = data.get("resource")
    if not isinstance(entries, list) or not entries:
        raise ValueError(f"help resources file {path}: needs at least one [[resource]]")
    resources = []
    for n, entry in enumerate(entries, start=1):
        where = f"help resources file {path}: resource {n}"
        if not isinstance(entry, dict):
            raise ValueError(f"{where}: expected a table")
        if unknown := set(entry) - {"name", "contact", "url", "region"}:
            raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
        name, contact = _optional(entry, "name", where), _optional(entry, "contact", where)
        if name is None or contact is None:
            raise ValueError(f"{where}: 'name' and 'contact' are required")
        url, region = _optional(entry, "url", where), _optional(entry, "region", where)
        resources.append(HelpResource(name, contact, url, region))
    return resources


def _optional(entry: Mapping[str, Any], key: str, where: str) -> str | None:
    value = entry.get(key)
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise ValueError(f"{where}: {key!r} must be a non-empty string")
    return value
