"""What a rule's compiled pattern needs to be run fast: the whole words every match must contain
(its gates), how far a match reaches, whether it stays within a sentence, and the pattern
without a leading \\b when that is faster to search. Read off Python's own regex parser, so
they cannot drift from the rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

try:  # Python's own regex parser, read to find each pattern's gates (see _part).
    from re import _compiler, _constants, _parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    _compiler = _constants = _parser = None

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


def _cue_gates(pattern: re.Pattern[str]) -> tuple[_Gate, ...]:
    # Short words ("no", "if") are fine here: they are looked up as whole words in the post's
    # own word set, never used to rank patterns.
    try:
        gates = _gates(_parser.parse(pattern.pattern), False, False)
    except Exception:  # see _part: slower, never less safe
        return ()
    return (min(gates, key=len),) if gates else ()
