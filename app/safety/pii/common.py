"""What every PII rule shares: the placeholders, the word lists and public numbers, and finding
a pattern only in small windows around its anchors."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

PLACEHOLDERS = {
    "email": "[email removed]",
    "phone": "[phone removed]",
    "address": "[address removed]",
    "handle": "[handle removed]",
    "profile_link": "[link removed]",
}
# Right before "(", "[" or ":", Markdown could read "[...]" as a link, a reference or a link
# definition; an escaped opening bracket keeps the placeholder plain text.
_MARKDOWN_AFTER = frozenset("([:")


@dataclass(frozen=True, slots=True)
class Redaction:
    kind: str  # a key of PLACEHOLDERS
    start: int  # offsets into the original text
    end: int


_DATA = Path(__file__).parent.parent / "data"
_PUBLIC = tomllib.loads((_DATA / "pii_public.toml").read_text("utf-8"))
_WORDS = {
    k: frozenset(v) for k, v in tomllib.loads((_DATA / "pii_words.toml").read_text("utf-8")).items()
}

_Span = tuple[int, int]


def _alternation(words: Iterable[str]) -> str:
    """A regex matching any of `words`, longest first, as a prefix tree: the regex engine
    scans for a tree noticeably faster than for a flat list of alternatives."""
    heads: dict[str, list[str]] = {}
    for word in words:
        heads.setdefault(word[:1], []).append(word[1:])
    ends = "" in heads
    branches = [
        (r"[ \t]?" if head == " " else re.escape(head)) + _alternation(tails)
        for head, tails in sorted(heads.items())
        if head
    ]
    if not branches:
        return ""
    tree = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    return f"(?:{tree})?" if ends else tree


def _scan(
    pattern: re.Pattern[str],
    text: str,
    accept: Callable[[re.Match[str]], _Span | None],
    pos: int = 0,
    endpos: int | None = None,
) -> Iterator[_Span]:
    """Accepted matches; after a rejection the search goes on one character later, so a
    rejected candidate cannot hide a real one that starts inside it."""
    endpos = len(text) if endpos is None else endpos
    while (m := pattern.search(text, pos, endpos)) is not None:
        span = accept(m)
        if span is None:
            pos = m.start() + 1
        else:
            yield span
            pos = max(span[1], m.start() + 1)


def _near(
    anchor: re.Pattern[str],
    haystack: str,
    text: str,
    pattern: re.Pattern[str],
    accept: Callable[[re.Match[str]], _Span | None],
    *,
    back: int,
    ahead: int,
) -> Iterator[_Span]:
    """Accepted matches of `pattern` in a window around each hit of `anchor` in `haystack`
    (the text itself, or its same-length lowercase copy)."""
    for window in _windows(anchor, haystack, back, ahead):
        yield from _scan(pattern, text, accept, *window)


def _windows(anchor: re.Pattern[str], haystack: str, back: int, ahead: int) -> Iterator[_Span]:
    return _merged((a.span() for a in anchor.finditer(haystack)), len(haystack), back, ahead)


def _merged(hits: Iterable[_Span], size: int, back: int, ahead: int) -> Iterator[_Span]:
    """Windows around the hits, overlapping ones merged, so that no character is searched
    twice however many anchors a post holds."""
    current: _Span | None = None
    for hit_start, hit_end in hits:
        start, end = max(0, hit_start - back), min(size, hit_end + ahead)
        if current is not None and start <= current[1]:
            current = current[0], max(current[1], end)
            continue
        if current is not None:
            yield current
        current = start, end
    if current is not None:
        yield current
