"""The real `kindred serve` on a free local port, and the headless Chromium that visits it."""

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2 as httpx

from tests.conftest import ROOT, skip_unless_available

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveServer:
    url: str
    env: dict[str, str]
    workdir: Path

    def cli(self, *args: str) -> str:
        """Run `kindred ARGS` against the live server's database, as an operator would."""
        done = subprocess.run(
            [sys.executable, "-m", "app", *args], cwd=self.workdir, env=self.env,
            capture_output=True, text=True, check=True, timeout=60,
        )  # fmt: skip
        return done.stdout


@contextmanager
def serve(workdir: Path, **settings: str) -> Iterator[LiveServer]:
    """Migrate a fresh SQLite database, load the demo data and serve it until the block ends.

    `settings` are extra environment variables, e.g. KINDRED_REPORT_HIDE_THRESHOLD="1000".
    """
    port = free_port()
    env = (
        os.environ
        | {
            "KINDRED_DATABASE_URL": f"sqlite:///{workdir / 'kindred.db'}",
            "KINDRED_RATE_LIMITS": "off",
            "KINDRED_PREMODERATE_FIRST_POSTS": "0",
            "PORT": str(port),
            "PYTHONPATH": str(ROOT),
        }
        | settings
    )
    kindred = [sys.executable, "-m", "app"]
    for args in (["db", "upgrade"], ["demo-data"]):
        subprocess.run([*kindred, *args], cwd=workdir, env=env, check=True, capture_output=True)
    log = (workdir / "server.log").open("w")
    server = subprocess.Popen([*kindred, "serve"], cwd=workdir, env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise RuntimeError((workdir / "server.log").read_text())
        yield LiveServer(base, env, workdir)
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium through Playwright (skipped locally when missing, a failure in CI)."""
    path = os.environ.get("KINDRED_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        skip_unless_available("browser tests need Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        try:
            yield instance
        finally:
            instance.close()
