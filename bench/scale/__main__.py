"""Run the scale benchmark: `make bench`, or `python -m bench.scale [options]`.

For SQLite and PostgreSQL in turn: seed a 10,000-reply and a 1,000,000-reply database, serve
both, and load every scenario on one right after the other (the bare FastAPI baseline, serving
the story page's bytes from memory, takes its turn with the story page). Prints the results
and, for a complete run (both databases, full scale), writes the scale section of
bench/RESULTS.md. `--scale 0.05 --duration 6` is a quick run for development that writes
nothing. About 15 minutes in all on two cores, half of it seeding.
"""

import argparse
import os
import shutil
import sqlite3
import sys
import time
from importlib.metadata import version

import psycopg
from sqlalchemy.engine import make_url

from bench.scale import plan, report, run, seed
from bench.scale.load import wrk_path, wrk_version
from bench.scale.texts import make_pool

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/kindred_bench"
REDIS_URL = "redis://127.0.0.1:6379/13"
DATABASES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="of the 1M-reply dataset")
    parser.add_argument("--only", choices=sorted(DATABASES), help="one database only")
    parser.add_argument("--duration", type=float, default=15, help="seconds per scenario")
    parser.add_argument("--warmup", type=float, default=3, help="seconds before each scenario")
    parser.add_argument("--rounds", type=int, default=3, help="turns the servers take, each")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("KINDRED_BENCH_POSTGRES_URL", POSTGRES_URL),
        help="base URL; _small and _large databases are made from it (kindred_bench*)",
    )
    parser.add_argument("--redis-url", default=os.environ.get("KINDRED_BENCH_REDIS_URL", REDIS_URL))
    parser.add_argument("--keep", action="store_true", help="keep the seeded databases")
    parser.add_argument(
        "--write", action="store_true", help="write RESULTS.md even for a partial run"
    )
    return parser.parse_args(argv)


def _postgres_version(url: str) -> str:
    server = make_url(url).set(database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(seed.libpq(server)) as conn:
        row = conn.execute("SHOW server_version").fetchone()
    return str(row[0]).split()[0] if row else "?"


def main(argv: list[str]) -> int:
    args = _arguments(argv)
    wrk_path()  # fail early, before any seeding
    started, clock = report.now(), time.perf_counter()
    load_before = os.getloadavg()
    options = run.Options(args.duration, args.warmup, args.rounds, args.redis_url, run.workdir())
    chosen = [args.only] if args.only else list(DATABASES)
    versions = {"SQLite": sqlite3.sqlite_version}
    if "postgres" in chosen:
        versions["PostgreSQL"] = _postgres_version(args.postgres_url)
    versions |= {name: version(name) for name in ("fastapi", "uvicorn", "sqlalchemy")}
    versions["wrk"] = wrk_version().removeprefix("wrk ")
    print("Rendering the text pool with the app's screening and sanitiser ...", flush=True)
    pool = make_pool()
    full = plan.FULL.scaled(args.scale) if args.scale != 1 else plan.FULL
    results = []
    try:
        for key in chosen:
            urls = {
                size: (
                    f"sqlite:///{options.workdir / f'kindred-{size.name}.db'}"
                    if key == "sqlite"
                    else f"{args.postgres_url}_{size.name}"
                )
                for size in (plan.SMALL, full)
            }
            try:
                results.append(run.bench_database(DATABASES[key], urls, pool, options))
            finally:
                if not args.keep:
                    for url in urls.values():
                        _drop(url)
    finally:
        if not args.keep:
            shutil.rmtree(options.workdir, ignore_errors=True)
    section = report.render(
        report.Report(
            started=started,
            minutes=(time.perf_counter() - clock) / 60,
            argv=argv,
            databases=results,
            load_before=load_before,
            load_after=os.getloadavg(),
            versions=versions,
            code=report.code_version(),
            options=options,
        )
    )
    print(section)
    if args.write or (args.scale == 1 and len(chosen) == len(DATABASES)):
        report.write(section)
        print(f"Written to {report.RESULTS}")
    return 0


def _drop(url: str) -> None:
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
    else:
        seed.drop_postgres(url)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
