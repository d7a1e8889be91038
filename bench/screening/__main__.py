"""Precision and recall of stigma, crisis and PII screening, and its speed.

Three labelled sets, each written blind to the rules by someone who never saw them:
`data/` and `heldout/` were used for development (their misses were read, by category, to
improve the rules; `heldout/` only after two rounds had been measured on it untouched), and
`test/` was never read by anyone working on the rules. The targets are judged on `test/`.

Run: `make bench-screening` (or `python -m bench.screening`). Writes bench/RESULTS.md's
screening section and prints the same table.
"""

import json
import platform
import random
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from app.safety.crisis import detect_crisis
from app.safety.pii import find_pii
from app.safety.screen import screen
from app.safety.stigma import LEXICON_VERSION, find_stigma

HERE = Path(__file__).resolve().parent
SETS = {"dev 1": HERE / "data", "dev 2": HERE / "heldout", "test": HERE / "test"}
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


def _load(name: str, folder: Path | None = None) -> list[dict]:
    with ((folder or SETS["development"]) / f"{name}.jsonl").open(encoding="utf-8") as handle:
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
        "p50": statistics.median(samples),
        "p99": samples[int(len(samples) * 0.99) - 1],
        "max": samples[-1],
    }


def _score_set(folder: Path) -> tuple[dict[str, tuple[Score, list[str], list[str]]], dict]:
    rows = {name: _load(name, folder) for name in ("stigma", "crisis", "pii")}
    results = {
        "stigma": _sentence_score(rows["stigma"], "stigmatising", find_stigma),
        "crisis": _sentence_score(rows["crisis"], "crisis", detect_crisis),
        "pii": _pii_score(rows["pii"]),
    }
    return results, rows


def main() -> int:
    scored = {label: _score_set(folder) for label, folder in SETS.items() if folder.exists()}
    judged = next(label for label in ("test", "dev 2", "dev 1") if label in scored)
    _results, rows = scored[judged]
    dense = _long_post(list(rows.values()))
    ordinary = _ordinary_post()[: len(dense)]
    timing = _timings(dense)
    typical = _timings(ordinary)

    lines = [
        MARK_START,
        "## Screening: precision, recall and speed",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.node() or 'this machine'} "
        f"({platform.machine()}, Python {platform.python_version()}), lexicon {LEXICON_VERSION}.",
        "Command: `make bench-screening` (`python -m bench.screening`).",
        "Three sets, each written blind to the rules (READMEs in `bench/screening/data/`, "
        "`heldout/` and `test/`). The misses of dev 1 and dev 2 were read by category to "
        "improve the rules (dev 2 only after it had been measured untouched); `test` was never "
        f"read by anyone working on the rules, so the targets are judged on `{judged}`. "
        "Stigma and crisis are scored per sentence, PII per labelled detail (a detected span "
        "overlapping it).",
        "",
        "| set | detector | sentences | precision | recall | target P / R | met |",
        "|---|---|---|---|---|---|---|",
    ]
    all_met = True
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
    lines += [
        "",
        "Screening one 5,000-character post (stigma + crisis + PII together, 300 runs after 20 "
        "warm-up runs; target: well under 10 ms):",
        "",
        "| post | p50 | p99 | max |",
        "|---|---|---|---|",
        f"| typical recovery story (the demo stories and replies) | {typical['p50']:.2f} ms "
        f"| {typical['p99']:.2f} ms | {typical['max']:.2f} ms |",
        f"| dense: held-out sentences back to back, about half of them flagged "
        f"| {timing['p50']:.2f} ms | {timing['p99']:.2f} ms | {timing['max']:.2f} ms |",
        MARK_END,
    ]
    section = "\n".join(lines)
    print(section)
    if "--misses" in sys.argv:
        for name, (_score, missed, wrong) in scored["dev 1"][0].items():
            for text in missed:
                print(f"  missed {name}: {text}", file=sys.stderr)
            for text in wrong:
                print(f"  false {name}: {text}", file=sys.stderr)
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
