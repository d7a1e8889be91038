"""Precision and recall of stigma, crisis and PII screening, and its speed.

Labelled sets, each written blind to the rules by someone who never saw them. Three are
development sets whose misses have been read to improve the rules: dev 1 (`data/`), dev 2
(`heldout/`, read only after it had been measured untouched) and dev 3 (`test/`, the judged set
of earlier rounds, read after it had been measured). The fourth, `final/`, has never been read
by anyone working on the rules; when it is present the targets are judged on it, otherwise on
dev 3. Misses are only ever printed for the development sets.

Run: `make bench-screening` (or `python -m bench.screening`). Writes bench/RESULTS.md's
screening section and prints the same table. `--misses` prints the development sets' misses
and false alarms; `--skip-final` leaves `final/` out (and writes nothing).
"""

import json
import os
import platform
import random
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from app.safety.crisis import detect_crisis
from app.safety.crisis.detect import detect_crisis_by_rules
from app.safety.learned import load_model
from app.safety.pii import find_pii
from app.safety.screen import screen
from app.safety.stigma import LEXICON_VERSION, find_stigma
from app.safety.stigma.detect import find_stigma_by_rules

HERE = Path(__file__).resolve().parent
SETS = {
    "dev 1": HERE / "data",
    "dev 2": HERE / "heldout",
    "dev 3": HERE / "test",
    "final": HERE / "final",
}
JUDGED = ("final", "dev 3")  # the first present is the one the targets are judged on
TIMING_SET = "dev 3"  # the dense post is built from it, so timings compare across rounds
RESULTS = HERE.parent / "RESULTS.md"
MARK_START, MARK_END = "<!-- screening:start -->", "<!-- screening:end -->"

TARGETS = {
    "stigma": (0.90, 0.90),
    "crisis": (0.85, 0.97),
    "pii": (0.95, 0.95),
}


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def _load(name: str, folder: Path) -> list[dict]:
    with (folder / f"{name}.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle.read().split("\n") if line.strip()]


def _sentence_score(rows: list[dict], label: str, detect) -> tuple[Score, list[str], list[str]]:
    score, missed, wrong = Score(), [], []
    for row in rows:
        found, truth = bool(detect(row["text"])), bool(row[label])
        if found and truth:
            score.tp += 1
        elif found:
            score.fp += 1
            wrong.append(row["text"])
        elif truth:
            score.fn += 1
            missed.append(row["text"])
    return score, missed, wrong


def _pii_score(rows: list[dict]) -> tuple[Score, list[str], list[str]]:
    """Item level: a labelled detail counts as found when a detected span overlaps it."""
    score, missed, wrong = Score(), [], []
    for row in rows:
        text = row["text"]
        spans = [(r.start, r.end) for r in find_pii(text)]
        gold = []
        for item in row["pii"]:
            start = text.index(item["value"])
            gold.append((start, start + len(item["value"])))
        for g in gold:
            if any(s < g[1] and g[0] < e for s, e in spans):
                score.tp += 1
            else:
                score.fn += 1
                missed.append(f"{text!r} -> {text[g[0] : g[1]]!r}")
        for s, e in spans:
            if not any(s < g[1] and g[0] < e for g in gold):
                score.fp += 1
                wrong.append(f"{text!r} -> {text[s:e]!r}")
    return score, missed, wrong


def _long_post(rows: list[list[dict]], size: int = 5000) -> str:
    """A realistic 5,000-character post made of the evaluation sentences themselves."""
    rng = random.Random(7)  # noqa: S311 (a repeatable sample, not a secret)
    pool = [r["text"] for group in rows for r in group]
    parts: list[str] = []
    while sum(len(p) + 1 for p in parts) < size:
        parts.append(rng.choice(pool))
    return " ".join(parts)[:size]


def _ordinary_post(size: int = 5000) -> str:
    """A typical recovery post: the demo stories and replies, repeated to length."""
    demo = json.loads((HERE.parent.parent / "app" / "demo.json").read_text(encoding="utf-8"))
    pieces: list[str] = []

    def collect(replies: list[dict]) -> None:
        for reply in replies:
            pieces.append(reply["body"])
            collect(reply.get("replies", []))

    for story in demo["stories"]:
        pieces.append(story["body"])
        collect(story.get("replies", []))
    text = "\n\n".join(pieces)
    return (text + "\n\n") * (size // len(text) + 1)


def _timings(text: str, runs: int = 300) -> dict[str, float]:
    for _ in range(20):
        screen(text)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        screen(text)
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {
        "min": samples[0],
        "p50": statistics.median(samples),
        "p99": samples[int(len(samples) * 0.99) - 1],
        "max": samples[-1],
    }


def _load_average() -> str:
    try:
        one, _five, _fifteen = os.getloadavg()
    except OSError:  # not available on this platform
        return "unknown"
    return f"{one:.1f} on {os.cpu_count() or '?'} CPUs"


def _score_set(folder: Path) -> tuple[dict[str, tuple[Score, list[str], list[str]]], dict]:
    rows = {name: _load(name, folder) for name in ("stigma", "crisis", "pii")}
    results = {
        "stigma": _sentence_score(rows["stigma"], "stigmatising", find_stigma),
        "crisis": _sentence_score(rows["crisis"], "crisis", detect_crisis),
        "pii": _pii_score(rows["pii"]),
    }
    return results, rows


def main() -> int:
    skip_final = "--skip-final" in sys.argv
    scored = {
        label: _score_set(folder)
        for label, folder in SETS.items()
        if folder.exists() and not (skip_final and label == "final")
    }
    judged = next(label for label in JUDGED if label in scored)
    _results, rows = scored[TIMING_SET]
    dense = _long_post(list(rows.values()))
    ordinary = _ordinary_post()[: len(dense)]
    load = _load_average()
    timing = _timings(dense)
    typical = _timings(ordinary)

    lines = [
        MARK_START,
        "## Screening: precision, recall and speed",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.node() or 'this machine'} "
        f"({platform.machine()}, Python {platform.python_version()}), lexicon {LEXICON_VERSION}, "
        f"learned models crisis {load_model('crisis').version}, "
        f"stigma {load_model('stigma').version}.",
        "Command: `make bench-screening` (`python -m bench.screening`).",
        "Sets written blind to the rules (READMEs in `bench/screening/data/`, `heldout/`, "
        "`test/` and `final/`). The misses of dev 1 (`data/`), dev 2 (`heldout/`) and dev 3 "
        "(`test/`) have been read to improve the rules, each only after it had been measured "
        "untouched; `final` was never read by anyone working on the rules. Since 2026-11-21 "
        "stigma and crisis also ask a learned model (app/safety/learned.py) about every "
        "passage the rules did not judge; it is trained (`make train-screening`) on dev 1-3, "
        "the training sets in `bench/screening/train/` and the test suite's examples, never "
        "on `final`, so the dev rows below are training data for it. "
        f"The targets are judged on `{judged}`. "
        "Stigma and crisis are scored per sentence, PII per labelled detail (a detected span "
        "overlapping it).",
        "",
        "| set | detector | sentences | precision | recall | target P / R | met |",
        "|---|---|---|---|---|---|---|",
    ]
    all_met = True
    judged_rows = scored[judged][1]
    rules_alone = {
        "stigma": _sentence_score(judged_rows["stigma"], "stigmatising", find_stigma_by_rules)[0],
        "crisis": _sentence_score(judged_rows["crisis"], "crisis", detect_crisis_by_rules)[0],
    }
    for label, (results, set_rows) in scored.items():
        for name, (score, _missed, _wrong) in results.items():
            p_target, r_target = TARGETS[name]
            met = score.precision >= p_target and score.recall >= r_target
            if label == judged:
                all_met = all_met and met
            lines.append(
                f"| {label} | {name} | {len(set_rows[name])} | {score.precision:.3f} "
                f"| {score.recall:.3f} | ≥ {p_target:.2f} / ≥ {r_target:.2f} "
                f"| {'yes' if met else '**no**'} |"
            )
    for name, score in rules_alone.items():
        lines.append(
            f"| {judged}, rules alone | {name} | {len(judged_rows[name])} "
            f"| {score.precision:.3f} | {score.recall:.3f} | (for comparison) | |"
        )
    lines += [
        "",
        "Screening one 5,000-character post (stigma + crisis + PII together, 300 runs after 20 "
        "warm-up runs; target: well under 10 ms). The minimum is the figure least disturbed by "
        f"other work on the machine; the load average was {load} when the runs started:",
        "",
        "| post | min | p50 | p99 | max |",
        "|---|---|---|---|---|",
        f"| typical recovery story (the demo stories and replies) | {typical['min']:.2f} ms "
        f"| {typical['p50']:.2f} ms | {typical['p99']:.2f} ms | {typical['max']:.2f} ms |",
        f"| dense: dev 3 sentences back to back, about half of them flagged "
        f"| {timing['min']:.2f} ms | {timing['p50']:.2f} ms | {timing['p99']:.2f} ms "
        f"| {timing['max']:.2f} ms |",
        MARK_END,
    ]
    section = "\n".join(lines)
    print(section)
    if "--misses" in sys.argv:
        for label, (results, _rows) in scored.items():
            if label == "final":
                continue  # never read: it judges the rules
            for name, (_score, missed, wrong) in results.items():
                for text in missed:
                    print(f"  {label} missed {name}: {text}", file=sys.stderr)
                for text in wrong:
                    print(f"  {label} false {name}: {text}", file=sys.stderr)
    if not skip_final:
        _write(section)
    return 0 if all_met else 1


def _write(section: str) -> None:
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    if MARK_START in current and MARK_END in current:
        before, rest = current.split(MARK_START, 1)
        after = rest.split(MARK_END, 1)[1]
        current = before + section + after
    else:
        current = current.rstrip() + "\n\n" + section + "\n"
    RESULTS.write_text(current, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
