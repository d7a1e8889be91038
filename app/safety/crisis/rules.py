"""Loading data/crisis_rules.toml (its header explains how a rule is read) into compiled rules."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.safety import _prefilter
from app.safety.crisis.patterns import _alternatives, _cost, _cue_gates, _Gate, _Part, _part

KINDS = frozenset({"suicidal_intent", "self_harm", "plan_or_means", "goodbye", "immediate_danger"})
_DATA = Path(__file__).parent.parent / "data"
RULES_FILE = _DATA / "crisis_rules.toml"

_SUBJECT_MODES = ("first", "explicit", "any")
_SCOPES = ("clause", "sentence", "post")
_CHECKS = frozenset({"negation", "hypothetical", "past"})
_MACRO = re.compile(r"\{([a-z_]+)\}")


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


def _broad_gate(part: _Part) -> frozenset[str] | None:
    # The rarest of a pattern's gates is the one its broad-layer trigger words come from.
    return min(part.gates, key=_cost) if part.gates else None


def load_rules(path: Path = RULES_FILE) -> _Rules:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"crisis rules {path}: cannot be read: {exc}") from exc
    return _compile_rules(data)
