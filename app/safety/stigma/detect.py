"""Finding stigmatising wording in a post: folding the text, finding candidates near anchors, and
keeping those the context allows."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from app.safety.learned import cue_span, load_model
from app.safety.stigma.context import _verdict
from app.safety.stigma.lexicon import _LEXICON, _RULES, _UNLEET, _UNLEET_ASCII

_MODEL = load_model("stigma")
# Where the lexicon found a word but the writer only mentions it (quoted, reported, named,
# rebutted, a title), the passage is not the model's to judge: n-grams cannot tell use from
# mention.
MENTIONED = frozenset({"mention"})
LEARNED_SUGGESTION = "describe the person or the experience, without a label or a judgement"
LEARNED_EXPLANATION = (
    "Wording like this can read as stigmatising about mental illness, addiction or suicide, "
    "even when it is not meant that way."
)

_UNLEET_PAIRS = tuple((chr(k), chr(v)) for k, v in _UNLEET.items())


@dataclass(frozen=True, slots=True)
class StigmaMatch:
    term: str
    start: int
    end: int
    suggestion: str
    explanation: str
    rule: str


_QUOTE_CHARS = str.maketrans({c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\u02bc\u00b4"})
_DQUOTE_CHARS = str.maketrans({c: '"' for c in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"})
# Letters from other scripts that look like Latin ones (a Cyrillic "er" in "psycho").
_HOMOGLYPHS = str.maketrans(
    "\u0430\u0435\u043e\u0440\u0441\u0443\u0445\u0456\u0455\u0458\u04cf\u0501\u03bf\u03b1\u03b9"
    "\u0410\u0415\u041e\u0420\u0421\u0423\u0425\u0406\u0405\u039f\u0391\u0399\u2010\u2011",
    "aeopcyxisjldoaiAEOPCYXISOAI--",
)


def _fold_char(ch: str) -> str:
    if unicodedata.category(ch) in ("Cf", "Mn", "Me"):
        return ""  # zero-width characters, soft hyphens, stray accents
    ch = ch.translate(_QUOTE_CHARS).translate(_DQUOTE_CHARS).translate(_HOMOGLYPHS)
    decomposed = unicodedata.normalize("NFKD", ch)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return base or ch


class _FoldTable(dict[int, str]):
    # str.translate runs in C and only calls back for a character it has not seen.
    def __missing__(self, code: int) -> str:
        if len(self) > 20_000:
            self.clear()  # a post full of distinct rare characters must not grow this forever
        folded = self[code] = _fold_char(chr(code))
        return folded


_FOLD_TABLE = _FoldTable()


def _fold(text: str) -> tuple[str, list[int] | None]:
    """Text to match against, and (when lengths differ) each character's index in `text`."""
    if text.isascii():
        return text, None
    # Speed: ASCII folds to itself, so only the few distinct other characters are replaced.
    rare = {c for c in set(text) if not c.isascii()}
    folded = text
    for c in rare:
        folded = folded.replace(c, _FOLD_TABLE[ord(c)])
    if all(len(_FOLD_TABLE[ord(c)]) == 1 for c in rare):
        return folded, None  # one character for one: offsets carry over unchanged
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        piece = _FOLD_TABLE[ord(ch)]
        out.append(piece)
        index.extend([i] * len(piece))
    return "".join(out), index


def _lower(folded: str) -> str:
    low = folded.lower()
    if len(low) == len(folded):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in folded)  # "İ" -> 2 chars


# A `patterns` rule is searched from its `reach` (default _BEFORE) characters before an anchor
# to _AFTER after it (a match holds its anchor, so it lies inside), plus _MARGIN for the
# rule's look-aheads: the window's end looks like the end of the text to the regex, so a match
# ending in the margin is left to a window that really contains it.
_AFTER, _MARGIN = 60, 40


def _candidates(low: str, cased: str, *, full_scan: bool) -> list[tuple[int, int, int]]:
    """(start, rule index, end) for every place a rule's regex matches, before context."""
    n = len(low)
    # Speed: str.translate looks every character up in a dict; bytes.translate does not, and
    # with other characters about, a replace per leet character present is still quicker.
    if low.isascii():
        probe = low.encode("ascii").translate(_UNLEET_ASCII).decode("ascii")
    else:
        probe = low
        for leet, letter in _UNLEET_PAIRS:
            if leet in probe:
                probe = probe.replace(leet, letter)
    found: list[tuple[int, int, int]] = []
    spans: dict[int, list[tuple[int, int]]] = {}
    if full_scan:
        spans = {i: [(0, n)] for i in range(len(_RULES))}
    else:
        uses, rules = _LEXICON.anchor_uses, _RULES
        search, m = _LEXICON.anchor_regex.search, None
        while (m := search(probe, m.start() + 1 if m else 0)) is not None:
            at = m.start()
            at_rules, near_rules = uses[m.group(1)]
            for i in at_rules:
                rule = rules[i]
                if (hit := rule.regex.match(cased if rule.cased else low, at)) is not None:
                    found.append((at, i, hit.end()))
            if near_rules:
                hi = min(n, at + _AFTER + _MARGIN)
                for i, reach in near_rules:
                    spans.setdefault(i, []).append((max(0, at - reach), hi))
    for i, windows in spans.items():
        regex = _RULES[i].regex
        text = cased if _RULES[i].cased else low
        windows.sort()
        lo, hi = windows[0]
        for next_lo, next_hi in [*windows[1:], (n + 1, n + 1)]:
            if next_lo <= hi:
                hi = max(hi, next_hi)
                continue
            limit = n if hi == n else hi - _MARGIN
            pos = lo
            while (hit := regex.search(text, pos, hi)) is not None and hit.end() <= limit:
                found.append((hit.start(), i, hit.end()))
                pos = hit.start() + 1
            lo, hi = next_lo, next_hi
    found.sort()
    return found


def _scan(
    text: str, *, full_scan: bool = False, mentioned: list[tuple[int, int]] | None = None
) -> list[StigmaMatch]:
    """The lexicon's matches; `mentioned` collects words quoted, reported, named or titles."""
    cased, index = _fold(text)
    low = _lower(cased)
    matches: list[StigmaMatch] = []
    pos = 0
    # Earliest start wins; at the same start, the rule listed first in the lexicon wins
    # (phrases are listed before the single words inside them).
    for start, i, end in _candidates(low, cased, full_scan=full_scan):
        rule = _RULES[i]
        if start < pos:
            continue
        verdict = _verdict(rule, low, cased, start, end)
        if verdict is not None:
            if mentioned is not None and verdict in MENTIONED:
                mentioned.append((index[start], index[end - 1] + 1) if index else (start, end))
            continue
        pos = end
        if index is not None:
            start, end = index[start], index[end - 1] + 1
        matches.append(
            StigmaMatch(
                term=text[start:end],
                start=start,
                end=end,
                suggestion=rule.suggestion,
                explanation=rule.explanation,
                rule=rule.id,
            )
        )
    return matches


def find_stigma(text: str) -> list[StigmaMatch]:
    """Stigmatising wording in `text`, ordered by start and never overlapping: the lexicon's
    matches, and for each other passage the learned model flags, its weightiest words."""
    matches, skip = rules_and_skips(text)
    hits = _MODEL.hits(text, skip=skip)
    if not hits:
        return matches
    for hit in hits:
        start, end = (
            cue_span(text, hit.start, hit.end, hit.cues[0]) if hit.cues else (hit.start, hit.end)
        )
        matches.append(
            StigmaMatch(
                text[start:end], start, end, LEARNED_SUGGESTION, LEARNED_EXPLANATION, "model"
            )
        )
    return sorted(matches, key=lambda m: m.start)


def find_stigma_by_rules(text: str) -> list[StigmaMatch]:
    """The lexicon's matches alone."""
    return _scan(text)


def rules_and_skips(text: str) -> tuple[list[StigmaMatch], list[tuple[int, int]]]:
    """The lexicon's matches, and the spans the model must leave alone: those matches, and
    words the writer only mentions."""
    mentioned: list[tuple[int, int]] = []
    matches = _scan(text, mentioned=mentioned)
    return matches, [*((m.start, m.end) for m in matches), *mentioned]
