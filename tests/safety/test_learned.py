"""The learned second opinion (app/safety/learned.py) and how the detectors use it."""

import json
from collections.abc import Callable
from typing import Any

import pytest

from app.safety import learned
from app.safety.crisis import detect as crisis
from app.safety.learned import LinearModel, cue_span, load_model, ngrams, passages
from app.safety.stigma import detect as stigma


def test_features_are_lower_cased_words_pairs_and_triples_with_straight_apostrophes() -> None:
    # Lone function words ("i", "not", "been") are no features; in pairs and triples they are.
    assert ngrams("I Don\u2019t want") == {"don't", "want", "i don't", "don't want", "i don't want"}
    assert ngrams("not been") == {"not been"}
    assert ngrams("") == set()
    assert ngrams("<script>alert(1)</script>") == {
        "script", "alert", "1", "script alert", "alert 1", "1 script",
        "script alert 1", "alert 1 script",
    }  # fmt: skip


def test_passages_are_whole_sentences_covering_the_text_in_order() -> None:
    text = " ".join(f"Sentence number {n} is here." for n in range(40))
    spans = list(passages(text))
    assert len(spans) > 1
    assert all(end - start <= learned.PASSAGE + 40 for start, end in spans)
    assert all(text[start:end].strip().endswith(".") for start, end in spans)
    assert [s for s, _ in spans] == sorted(s for s, _ in spans)
    covered = "".join(text[s:e] for s, e in spans)
    assert covered.replace(" ", "") == text.replace(" ", "")
    assert list(passages("")) == []
    assert list(passages("no full stop at all")) == [(0, 19)]


def model(**weights: float) -> LinearModel:
    return LinearModel("test", "v", threshold=0.5, intercept=-1.0, weights=weights)


def test_a_passage_is_flagged_when_its_words_outweigh_the_intercept_with_its_cues() -> None:
    m = model(**{"saving": 0.6, "my pills": 2.0, "saving my pills": 1.0, "pills": 0.1})
    calm = "We had a lovely long walk by the river today and the dog loved it. " * 5
    text = f"{calm}I have been saving my pills. {calm}"
    [hit] = m.hits(text)
    assert "I have been saving my pills." in text[hit.start : hit.end]
    assert hit.end - hit.start < len(text) / 2  # the passage, not the whole post
    assert hit.cues == ("my pills", "saving my pills", "saving")
    assert hit.probability > 0.5
    assert m.hits("Lovely walk today.") == []
    assert m.hits(text, skip=[(hit.start + 2, hit.start + 3)]) == []
    assert m.highest(text) == pytest.approx(hit.probability)
    assert m.highest(text, skip=[(0, len(text))]) == 0.0


def test_a_cue_is_found_in_the_text_as_written() -> None:
    text = "Honestly, MY  PILLS are saved."
    assert text[slice(*cue_span(text, 0, len(text), "my pills"))] == "MY  PILLS"
    assert cue_span(text, 0, len(text), "not there") == (0, len(text))
    turkish = "\u0130 my pills"  # lower() makes this longer: offsets would drift
    assert cue_span(turkish, 0, len(turkish), "my pills") == (0, len(turkish))


@pytest.mark.parametrize("name", ["crisis", "stigma"])
def test_the_shipped_models_carry_version_threshold_weights_and_how_they_were_made(
    name: str,
) -> None:
    raw = json.loads((learned.DATA / f"{name}_model.json").read_text("utf-8"))
    m = load_model(name)
    assert m.version == raw["version"] and m.version
    assert 0.0 < m.threshold < 1.0
    assert len(m.weights) > 1000
    assert raw["trained_on"] and raw["cross_validated"]["held_out_sets"]
    assert "final" not in raw["trained_on"]  # the judged set is never training data


def flags_everything() -> LinearModel:
    return LinearModel("all", "v", threshold=0.5, intercept=10.0, weights={})


def test_the_crisis_model_judges_every_passage_the_rules_did_not_flag(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(crisis, "_MODEL", flags_everything())
    [signal] = crisis.detect_crisis("The weather was grey.")
    assert signal.kind == crisis.LEARNED and signal.rule.startswith("model:")
    # A passage a rule flagged keeps the rule's signal only.
    signals = crisis.detect_crisis("I want to kill myself tonight.")
    assert signals and all(s.kind != crisis.LEARNED for s in signals)
    assert signals == crisis.detect_crisis_by_rules("I want to kill myself tonight.")


def test_the_stigma_model_judges_every_passage_the_lexicon_did_not_flag(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(stigma, "_MODEL", flags_everything())
    [match] = stigma.find_stigma("The weather was grey.")
    assert match.rule == "model"
    assert match.suggestion == stigma.LEARNED_SUGGESTION
    assert match.explanation == stigma.LEARNED_EXPLANATION
    [rule_match] = stigma.find_stigma("He is such a psycho.")
    assert rule_match.rule != "model" and rule_match.term == "psycho"


CRISIS = (crisis.detect_crisis_by_rules, crisis.detect_crisis)
STIGMA = (stigma.find_stigma_by_rules, stigma.find_stigma)


@pytest.mark.parametrize(
    ("detectors", "text"),
    [
        (CRISIS, "finding the strength to go through with it tonight"),
        (STIGMA, "PTSD veterans are ticking time bombs"),
        (STIGMA, "postnatal depression is just mums being dramatic"),
    ],
)
def test_the_shipped_models_catch_wordings_the_rules_do_not_know(
    detectors: tuple[Callable[[str], list[Any]], Callable[[str], list[Any]]], text: str
) -> None:
    by_rules, combined = detectors
    assert by_rules(text) == [] and combined(text)


@pytest.mark.parametrize(
    "text",
    [
        "so proud of you for reaching 30 days!",
        "took my meds, had a walk, feeling okay today",
        "my mum has bipolar disorder and she is the strongest person I know",
        "anyone else find the waiting list for therapy really long?",
    ],
)
def test_the_shipped_models_leave_ordinary_posts_alone(text: str) -> None:
    assert crisis.detect_crisis(text) == []
    assert stigma.find_stigma(text) == []


def test_a_stigma_hit_from_the_model_points_at_its_weightiest_words(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    weights = {"lazy": 3.0, "are lazy": 1.0, "people": 0.1}
    monkeypatch.setattr(stigma, "_MODEL", LinearModel("s", "v", 0.5, -2.0, weights))
    text = "Some days are hard. People like that are lazy, honestly."
    [match] = stigma.find_stigma(text)
    assert (match.term, text[match.start : match.end]) == ("lazy", "lazy")
