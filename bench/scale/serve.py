"""Running a server under test: start it, find its worker processes, read their memory, stop it."""

import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 2
START_TIMEOUT = 120  # seconds; start-up imports and the first query on a busy machine


@dataclass
class Reply:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> list[str]:
        return [v for k, v in self.headers if k.lower() == name.lower()]


def request(
    port: int,
    method: str,
    path: str,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 60,
) -> Reply:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return Reply(response.status, response.getheaders(), response.read())
    finally:
        conn.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Memory:
    rss_mb: float  # VmRSS: resident now
    peak_mb: float  # VmHWM: the most it was ever resident


def uvicorn_workers(supervisor: int) -> set[int]:
    """The worker processes a uvicorn supervisor (`kindred serve --workers N`) runs now: its
    children started by multiprocessing's spawn."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with suppress(OSError):
            stat = (entry / "stat").read_text()
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            if parent == supervisor and b"spawn_main" in (entry / "cmdline").read_bytes():
                found.add(int(entry.name))
    return found


@dataclass
class Server:
    port: int
    process: subprocess.Popen[bytes]
    log: IO[bytes]  # the server's stdout and stderr
    started_workers: set[int] = field(default_factory=set)

    def log_text(self) -> str:
        # pread: the file offset is shared with the server, which is still writing.
        fd = self.log.fileno()
        return os.pread(fd, os.fstat(fd).st_size, 0).decode(errors="replace")

    def workers(self) -> set[int]:
        return uvicorn_workers(self.process.pid)

    def memory(self) -> dict[int, Memory]:
        result = {}
        for pid in sorted(self.workers()):
            with suppress(OSError):
                fields = dict(
                    line.split(":", 1)
                    for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                )
                kb = {k: int(fields[k].split()[0]) for k in ("VmRSS", "VmHWM")}
                result[pid] = Memory(kb["VmRSS"] / 1024, kb["VmHWM"] / 1024)
        return result

    def restarted(self) -> bool:
        """Whether a worker died and was replaced since start-up (its figures would be partial)."""
        return self.workers() != self.started_workers


@contextmanager
def serving(command: list[str], env: dict[str, str], port: int, probe: str) -> Iterator[Server]:
    """Start `command` (which must listen on `port`), wait until `probe` answers 200, stop after."""
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(  # noqa: S603 (our own server command line)
            command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True
        )
        server = Server(port, process, log)
        try:
            deadline = time.monotonic() + START_TIMEOUT
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"server exited at start-up: {server.log_text()[-2000:]}")
                with suppress(OSError):
                    if request(port, "GET", probe, timeout=10).status == 200:
                        break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"server did not answer {probe} within {START_TIMEOUT} s")
                time.sleep(0.3)
            while len(server.workers()) < WORKERS and time.monotonic() < deadline:
                time.sleep(0.3)
            server.started_workers = server.workers()
            yield server
        finally:
            _stop(process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)  # uvicorn's graceful shutdown, workers included
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def kindred_command(port: int) -> list[str]:
    return [sys.executable, "-m", "app", "serve", "--workers", str(WORKERS), "--port", str(port)]


def bare_command(port: int) -> list[str]:
    """The bare baseline, served by uvicorn exactly as `kindred serve` serves the app."""
    return [
        sys.executable, "-m", "uvicorn", "bench.scale.bare:create_app", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(WORKERS),
        "--no-access-log", "--no-server-header",
    ]  # fmt: skip
