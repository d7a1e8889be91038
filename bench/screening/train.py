"""Train the learned second opinion of the crisis and stigma detectors (app/safety/learned.py).

Training data: the three development sets (data/, heldout/, test/) and the training sets in
train/ (<task>-<letter>.jsonl, each written blind by a different author). `final/` is never read
here: it stays the judged set of `make bench-screening`.

The threshold is chosen by leave-one-author-out cross-validation over the train/ sets, which the
rules were never tuned on: for each of them a model is trained on everything else and scores it
unseen, together with the rules, as the detector would. Crisis takes the threshold with the best
F2 score (recall weighs twice precision: a missed crisis costs far more than a moderator's look
at a post that was fine); stigma the one where the lower of precision and recall is highest (its
targets are equal). The final model is then trained on everything.

Run: `make train-screening` (needs the dev extra's scikit-learn). Writes
app/safety/data/{crisis,stigma}_model.json and prints the cross-validated figures.
"""

import hashlib
import importlib
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression

from app.safety.crisis import detect as crisis
from app.safety.learned import DATA, LinearModel, ngrams
from app.safety.stigma import detect as stigma

HERE = Path(__file__).resolve().parent
DEV = ("data", "heldout", "test")
# Sets never held out in cross-validation: the rules were tuned on the development sets and
# pass the suite's examples by construction.
UNHELD = (*DEV, "suite")
LABEL = {"crisis": "crisis", "stigma": "stigmatising"}
# What the rules alone flag, and the spans the model leaves alone, as the detectors run them.
RULES: dict[str, Callable[[str], tuple[list[Any], list[tuple[int, int]]]]] = {
    "crisis": crisis.rules_and_skips,
    "stigma": stigma.rules_and_skips,
}
C = 1.0  # inverse regularisation strength; cross-validation moved little between 0.3 and 10
# Most posts are ordinary: a model that fires on 3 in 100 of them would bury moderators and
# hold everyday posts. Thresholds are only chosen where, cross-validated, at most this share
# of the ordinary posts (train/ordinary-*.jsonl, each held out in turn) is flagged.
ORDINARY_FALSE_ALARMS = 0.01
SMALLEST_WEIGHT = 0.01  # weights below this are left out of the model file


def _load(path: Path) -> list[dict[str, Any]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def sources(task: str) -> dict[str, list[dict[str, Any]]]:
    found = {name: _load(HERE / name / f"{task}.jsonl") for name in DEV}
    for path in sorted((HERE / "train").glob(f"{task}-*.jsonl")):
        found[path.stem] = _load(path)
    # Ordinary posts (neither crisis nor stigmatising) serve both tasks.
    for path in sorted((HERE / "train").glob("ordinary-*.jsonl")):
        found[path.stem] = _load(path)
    found["suite"] = suite(task)
    return found


def suite(task: str) -> list[dict[str, Any]]:
    """The test suite's examples (tests/safety/test_<task>.py): the policy's own cases."""
    module = importlib.import_module(f"tests.safety.test_{task}")
    rows = []
    for name, value in vars(module).items():
        if not name.isupper() or not name.endswith(("POSITIVE", "NEGATIVE")):
            continue
        items = [t for group in value.values() for t in group] if isinstance(value, dict) else value
        for item in items:
            text = item if isinstance(item, str) else item[0]
            rows.append({"text": text, LABEL[task]: name.endswith("POSITIVE")})
    return rows


def fit(rows: list[dict[str, Any]], task: str) -> LinearModel:
    vectoriser = CountVectorizer(analyzer=ngrams, binary=True)
    features = vectoriser.fit_transform([r["text"] for r in rows])
    labels = [bool(r[LABEL[task]]) for r in rows]
    model = LogisticRegression(C=C, max_iter=5000, class_weight="balanced")
    model.fit(features, labels)
    weights = {
        str(gram): round(float(w), 4)
        for gram, w in zip(vectoriser.get_feature_names_out(), model.coef_[0], strict=True)
        if abs(w) >= SMALLEST_WEIGHT
    }
    return LinearModel(task, "", 0.5, round(float(model.intercept_[0]), 4), weights)


def _figures(scored: list[tuple[float, bool, bool]], threshold: float) -> tuple[float, float]:
    tp = sum(1 for p, rule, truth in scored if (p >= threshold or rule) and truth)
    fp = sum(1 for p, rule, truth in scored if (p >= threshold or rule) and not truth)
    fn = sum(1 for p, rule, truth in scored if not (p >= threshold or rule) and truth)
    return tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0


Scored = list[tuple[float, bool, bool]]


def cross_validate(task: str, data: dict[str, list[dict[str, Any]]]) -> tuple[Scored, Scored]:
    """(model probability, rules fired, label) for each train/ row, scored by a model not
    trained on its author's set: the task's sets, and the ordinary posts."""
    scored: Scored = []
    ordinary: Scored = []
    for held in (name for name in data if name not in UNHELD):
        model = fit([r for name, rows in data.items() if name != held for r in rows], task)
        for row in data[held]:
            flagged, skip = RULES[task](row["text"])
            probability = model.highest(row["text"], skip=skip)
            found = (probability, bool(flagged), bool(row[LABEL[task]]))
            (ordinary if held.startswith("ordinary") else scored).append(found)
    return scored, ordinary


def false_alarms(ordinary: Scored, threshold: float) -> float:
    """The share of ordinary posts the rules or the model flag at this threshold."""
    return sum(1 for p, rule, _ in ordinary if p >= threshold or rule) / max(1, len(ordinary))


def choose_threshold(task: str, scored: Scored, ordinary: Scored) -> float:
    """Among thresholds that keep ordinary posts' false alarms within ORDINARY_FALSE_ALARMS:
    crisis, the best F2 (recall weighs twice precision); stigma, the best min(P, R)."""

    def merit(t: float) -> float:
        precision, recall = _figures(scored, t)
        if task == "stigma":
            return min(precision, recall)
        return 5 * precision * recall / (4 * precision + recall) if precision + recall else 0.0

    allowed = [
        t / 100 for t in range(20, 100) if false_alarms(ordinary, t / 100) <= ORDINARY_FALSE_ALARMS
    ]
    return max(allowed or [0.99], key=merit)


def train(task: str) -> str:
    data = sources(task)
    scored, ordinary = cross_validate(task, data)
    threshold = choose_threshold(task, scored, ordinary)
    precision, recall = _figures(scored, threshold)
    rules_precision, rules_recall = _figures(scored, 2.0)
    model = fit([r for rows in data.values() for r in rows], task)
    weights = dict(sorted(model.weights.items()))
    digest = hashlib.sha256(json.dumps([model.intercept, weights]).encode()).hexdigest()[:12]
    version = f"{datetime.now(UTC):%Y-%m-%d}-{digest}"
    summary = {
        "version": version,
        "threshold": threshold,
        "intercept": model.intercept,
        "trained_on": {name: len(rows) for name, rows in data.items()},
        "cross_validated": {
            "held_out_sets": [name for name in data if name not in UNHELD],
            "rules_alone": {
                "precision": round(rules_precision, 3),
                "recall": round(rules_recall, 3),
            },
            "rules_and_model": {"precision": round(precision, 3), "recall": round(recall, 3)},
            "ordinary_posts_flagged": {
                "rules_alone": round(false_alarms(ordinary, 2.0), 4),
                "rules_and_model": round(false_alarms(ordinary, threshold), 4),
            },
        },
        "features": "binary word 1-3-grams, no lone function words (app.safety.learned.ngrams); "
        "logistic regression, "
        f"C={C}, balanced classes; weights under {SMALLEST_WEIGHT} left out",
        "weights": weights,
    }
    path = DATA / f"{task}_model.json"
    path.write_text(json.dumps(summary, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    return (
        f"{task}: {sum(len(r) for r in data.values())} rows, threshold {threshold:.2f}; "
        f"cross-validated on unseen authors: rules P {rules_precision:.3f} R {rules_recall:.3f}"
        f" -> rules + model P {precision:.3f} R {recall:.3f}; ordinary posts flagged"
        f" {false_alarms(ordinary, 2.0):.1%} -> {false_alarms(ordinary, threshold):.1%};"
        f" {len(model.weights)} weights"
        f" -> {path.relative_to(HERE.parent.parent)}"
    )


def main() -> int:
    for task in sys.argv[1:] or ("crisis", "stigma"):
        print(train(task), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
