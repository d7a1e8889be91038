"""Loading data/stigma_lexicon.toml (its header explains how an entry is written) into compiled
rules, and the one regex that finds every rule's anchors."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LEXICON_PATH = Path(__file__).parent.parent / "data" / "stigma_lexicon.toml"
_BEFORE = 120  # the default `reach`: how far before its anchor a `patterns` match may start


@dataclass(frozen=True, slots=True)
class _Rule:
    id: str
    suggestion: str
    explanation: str
    regex: re.Pattern[str]
    cased: bool
    self_ok: str | None  # None, "label" or "subject"
    claim: bool
    not_before: re.Pattern[str] | None
    not_after: re.Pattern[str] | None
    needs_before: re.Pattern[str] | None
    not_in_sentence: re.Pattern[str] | None
    needs_in_sentence: re.Pattern[str] | None
    own_words: bool
    reach: int  # how far before an anchor a `patterns` match may start


# Everything runs on lower-cased text: with IGNORECASE, sre cannot skip an alternative on
# its first letter and the rules run three times slower.
_FLAGS = re.VERBOSE
_ENTRY_KEYS = {"id", "words", "patterns", "anchors", "at_anchor", "leet", "cased", "self_ok"}
_ENTRY_KEYS |= {"claim", "not_before", "not_after", "needs_before", "not_in_sentence"}
_ENTRY_KEYS |= {"needs_in_sentence", "reach", "own_words"}
_ENTRY_KEYS |= {"suggestion", "explanation"}
_REQUIRED_KEYS = ("id", "suggestion", "explanation")
_MACRO = re.compile(r"\{\{(\w+)\}\}")

# Leetspeak: digits and symbols people swap in to get a slur past a filter. The first letter
# only takes digits, so the leading \b still works.
_LEET = {"a": "a4@*", "e": "e3*", "i": "i1!*", "o": "o0*", "u": "u*", "s": "s5$", "t": "t7+"}
_VOWELS = frozenset("aeiou")
_WORD_END = r"(?:e?s|z|'s|s')?(?![\w@$*])"
# The anchor search reads leet as letters, so one anchor covers "retard" and "r3t4rd".
# Line breaks and tabs read as spaces, so a multi-word anchor still matches across them.
_UNLEET = str.maketrans("3410!5$7+@\n\t\r", "eaioisstta   ")
_UNLEET_ASCII = bytes.maketrans(b"3410!5$7+@\n\t\r", b"eaioisstta   ")  # the same, in C


def _word_regex(word: str, *, leet: bool) -> str:
    parts: list[str] = []
    for i, ch in enumerate(word.lower()):
        if ch in " -":
            parts.append(r"[\s_-]*")  # "nut job", "nut-job", "nutjob"
        elif ch == "'":
            parts.append("'?")
        elif leet and ch in _LEET:
            swaps = _LEET[ch] if i else "".join(c for c in _LEET[ch] if c.isalnum())
            parts.append("[" + re.escape(swaps) + "]" + ("+" if ch in _VOWELS else ""))
        else:
            parts.append(re.escape(ch))
    return "".join(parts) + _WORD_END


def _word_anchor(word: str) -> str:
    # The first letters of the word's first part: "nut job" and "nutjob" both contain "nut".
    anchor = re.split(r"[\s'-]", word.lower())[0][:4]
    if len(anchor) < 3:
        raise ValueError(f"stigma lexicon word {word!r}: too short to anchor")
    return anchor


def _expand(pattern: str, macros: dict[str, str]) -> str:
    for _ in range(5):  # macros may use macros
        if "{{" not in pattern:
            return pattern
        pattern = _MACRO.sub(lambda m: macros[m.group(1)], pattern)
    raise ValueError("stigma lexicon: macros nest too deeply")


def _context(patterns: list[str], macros: dict[str, str]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{_expand(p, macros)})" for p in patterns), _FLAGS)


def _rule(entry: dict[str, Any], macros: dict[str, str]) -> tuple[_Rule, dict[str, bool]]:
    name = entry.get("id", "?")
    unknown = set(entry) - _ENTRY_KEYS
    missing = [key for key in _REQUIRED_KEYS if not entry.get(key)]
    if unknown or missing or not (entry.get("words") or entry.get("patterns")):
        raise ValueError(f"stigma lexicon entry {name}: bad keys {unknown or missing}")
    if entry.get("patterns") and not entry.get("anchors"):
        raise ValueError(f"stigma lexicon entry {name}: patterns need anchors")
    if entry.get("self_ok") not in (None, "label", "subject"):
        raise ValueError(f"stigma lexicon entry {name}: self_ok must be label or subject")
    leet = bool(entry.get("leet", False))
    words: list[str] = entry.get("words", [])
    parts = [_word_regex(w, leet=leet) for w in words]
    parts += [_expand(p, macros) for p in entry.get("patterns", [])]
    regex = re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in parts) + ")", _FLAGS)
    if regex.groups:
        raise ValueError(f"stigma lexicon entry {name}: use (?:...) groups only")
    # anchor -> whether a match starts exactly there (a word's first letters, or every
    # anchor of an `at_anchor` rule) or only somewhere near it
    at_anchor = bool(entry.get("at_anchor", False))
    anchors = {_word_anchor(w): True for w in words}
    anchors |= {a.lower(): at_anchor for a in entry.get("anchors", [])}
    rule = _Rule(
        id=entry["id"],
        suggestion=entry["suggestion"],
        explanation=entry["explanation"],
        regex=regex,
        cased=bool(entry.get("cased", False)),
        self_ok=entry.get("self_ok"),
        claim=bool(entry.get("claim", False)),
        not_before=_context(entry.get("not_before", []), macros),
        not_after=_context(entry.get("not_after", []), macros),
        needs_before=_context(entry.get("needs_before", []), macros),
        not_in_sentence=_context(entry.get("not_in_sentence", []), macros),
        needs_in_sentence=_context(entry.get("needs_in_sentence", []), macros),
        own_words=bool(entry.get("own_words", False)),
        reach=int(entry.get("reach", _BEFORE)),
    )
    return rule, anchors


# For one anchor: the rules whose matches start exactly there, and (rule index, reach) for the
# rules searched in a window around it.
_Uses = tuple[tuple[int, ...], tuple[tuple[int, int], ...]]


@dataclass(frozen=True, slots=True)
class _Lexicon:
    version: str
    rules: tuple[_Rule, ...]
    # Finds every anchor: a trie-shaped alternation, searched again one character after each
    # hit so that overlapping anchors ("polar" in "bipolar") are all seen. Without a
    # look-ahead in front, the regex engine skips to the letters an anchor can start with.
    anchor_regex: re.Pattern[str]
    # the longest anchor found at a position -> uses of it and of every anchor it starts with
    anchor_uses: dict[str, _Uses]
    titles: re.Pattern[str]
    titles_low: re.Pattern[str]  # the same titles in lower case
    title_cues: re.Pattern[str]
    not_name_words: frozenset[str]
    sentence_starters: frozenset[str]


def _trie_regex(words: list[str]) -> str:
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + build(node[ch]) for ch in sorted(node) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


def _load(path: Path) -> _Lexicon:
    data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    macros: dict[str, str] = data.get("macros", {})
    rules: list[_Rule] = []
    by_anchor: dict[str, list[tuple[int, bool]]] = {}
    for index, entry in enumerate(data["entry"]):
        rule, anchors = _rule(entry, macros)
        rules.append(rule)
        for anchor, at_start in anchors.items():
            by_anchor.setdefault(anchor, []).append((index, at_start))
    titles = sorted(data.get("titles", []), key=len, reverse=True)
    uses: dict[str, _Uses] = {}
    for longest in by_anchor:
        found = {use for a, u in by_anchor.items() if longest.startswith(a) for use in u}
        at = tuple(sorted({i for i, at_start in found if at_start}))
        near = tuple(sorted({(i, rules[i].reach) for i, at_start in found if not at_start}))
        uses[longest] = (at, near)
    return _Lexicon(
        version=str(data["version"]),
        rules=tuple(rules),
        anchor_regex=re.compile(f"({_trie_regex(sorted(by_anchor))})"),
        anchor_uses=uses,
        titles=re.compile(rf"(?<!\w){_trie_regex(titles)}(?!\w)"),
        titles_low=re.compile(rf"(?<!\w){_trie_regex([t.lower() for t in titles])}(?!\w)"),
        title_cues=re.compile(data["title_cues"], _FLAGS),
        not_name_words=frozenset(data["not_name_words"]),
        sentence_starters=frozenset(data["not_name_words"] + data["sentence_starters"]),
    )


_LEXICON = _load(LEXICON_PATH)
LEXICON_VERSION = _LEXICON.version
_RULES = _LEXICON.rules
