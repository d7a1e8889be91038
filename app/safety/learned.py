"""A learned second opinion behind the explainable rules: a linear model over word n-grams.

The rules (data/crisis_rules.toml, data/stigma_lexicon.toml) say exactly why they fire, but no
one can write a rule for every way a person says they are in danger. Each detector therefore
also asks a logistic-regression model, trained by `make train-screening`
(bench/screening/train.py) on thousands of labelled sentences, about every passage the rules
left alone. The model is data too (data/<name>_model.json: its weights, the threshold chosen by
cross-validation, and what it was trained on), and it explains itself: a hit carries the words
that weighed most.

Scoring is a dictionary lookup per word, pair and triple of words in a passage of a few
sentences, so a 5,000-character post costs about a millisecond.
"""

import itertools
import json
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"
# A passage is whole sentences up to about this many characters: the model was trained on
# posts of one to a few sentences, so a long post is judged a passage at a time.
PASSAGE = 300
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_SENTENCE = re.compile(r"[^.!?\n]*(?:[.!?]+|\n+|$)")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


def _function_words() -> frozenset[str]:
    lines = (DATA / "function_words.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


FUNCTION_WORDS = _function_words()


def ngrams(text: str) -> set[str]:
    """The features of a text: its lower-cased words (not function words, which alone mean
    nothing here: "been", "just", "not"), and all its pairs and triples of words."""
    words = _TOKEN.findall(text.lower().translate(_QUOTES))
    found = {w for w in words if w not in FUNCTION_WORDS}
    found.update(f"{a} {b}" for a, b in itertools.pairwise(words))
    found.update(f"{a} {b} {c}" for a, b, c in zip(words, words[1:], words[2:], strict=False))
    return found


def passages(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of runs of whole sentences of up to about PASSAGE characters."""
    start = end = None
    for m in _SENTENCE.finditer(text):
        if m.start() == m.end():
            continue
        if start is not None and end is not None and m.end() - start > PASSAGE:
            yield start, end
            start = None
        if start is None:
            start = m.start()
        end = m.end()
    if start is not None and end is not None and text[start:end].strip():
        yield start, end


def _open(text: str, skip: Sequence[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """The passages of `text` that overlap no span in `skip`."""
    for start, end in passages(text):
        if not any(s < end and start < e for s, e in skip):
            yield start, end


@dataclass(frozen=True, slots=True)
class Hit:
    start: int
    end: int
    probability: float
    cues: tuple[str, ...]  # the n-grams that weighed most towards the hit, strongest first


@dataclass(frozen=True)
class LinearModel:
    name: str
    version: str
    threshold: float  # a probability
    intercept: float
    weights: dict[str, float]

    def probability(self, text: str) -> float:
        return self._probability(ngrams(text))

    def _probability(self, grams: set[str]) -> float:
        logit = self.intercept + sum(self.weights.get(g, 0.0) for g in grams)
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, logit))))

    def hits(self, text: str, *, skip: Sequence[tuple[int, int]] = ()) -> list[Hit]:
        """Passages the model flags, leaving out those overlapping a span in `skip`."""
        found = []
        for start, end in _open(text, skip):
            grams = ngrams(text[start:end])
            probability = self._probability(grams)
            if probability < self.threshold:
                continue
            weighed = sorted(
                ((self.weights[g], g) for g in grams if self.weights.get(g, 0.0) > 0), reverse=True
            )
            found.append(Hit(start, end, probability, tuple(g for _, g in weighed[:3])))
        return found

    def highest(self, text: str, *, skip: Sequence[tuple[int, int]] = ()) -> float:
        """The highest probability of any passage not overlapping `skip` (0 if none)."""
        return max((self.probability(text[s:e]) for s, e in _open(text, skip)), default=0.0)


@cache
def load_model(name: str) -> LinearModel:
    """data/<name>_model.json, as written by bench/screening/train.py."""
    raw = json.loads((DATA / f"{name}_model.json").read_text(encoding="utf-8"))
    return LinearModel(
        name=name,
        version=str(raw["version"]),
        threshold=float(raw["threshold"]),
        intercept=float(raw["intercept"]),
        weights={str(k): float(v) for k, v in raw["weights"].items()},
    )


def cue_span(text: str, start: int, end: int, cue: str) -> tuple[int, int]:
    """Where the words of `cue` stand in text[start:end] (the whole passage if not found)."""
    pattern = r"[^a-z0-9']+".join(re.escape(w) for w in cue.split())
    passage = text[start:end].lower().translate(_QUOTES)
    m = re.search(rf"(?<![a-z0-9]){pattern}(?![a-z0-9])", passage)
    if m is None or len(passage) != end - start:  # lower() changed a length: offsets differ
        return start, end
    return start + m.start(), start + m.end()
