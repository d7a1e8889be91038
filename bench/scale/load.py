"""Load from a separate process: Debian's wrk, and what it reports, read back into numbers."""

import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

THREADS = 2
CONNECTIONS = 16
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


@dataclass
class Measured:
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    requests: int
    errors: int  # responses other than 2xx/3xx, plus connect/read/write errors and timeouts
    seconds: float


def wrk_path() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise SystemExit("wrk is not installed: `apt-get install wrk` (make bench does it)")
    return found


def wrk_version() -> str:
    done = subprocess.run([wrk_path(), "-v"], capture_output=True, text=True, check=False)  # noqa: S603 (wrk itself)
    first = (done.stdout or done.stderr).splitlines()
    return first[0].split(" Copyright")[0] if first else "wrk"


def wrk_command(
    url: str,
    *,
    duration: float,
    headers: Sequence[str] = (),
    script: Path | None = None,
    connections: int = CONNECTIONS,
) -> list[str]:
    seconds = max(1, round(duration))  # wrk takes whole seconds only
    command = [
        wrk_path(), f"-t{THREADS}", f"-c{connections}", f"-d{seconds}s", "--latency",
        "--timeout", "10s",
    ]  # fmt: skip
    for header in headers:
        command += ["-H", header]
    if script is not None:
        command += ["-s", str(script)]
    return [*command, url]


def run(command: list[str]) -> Measured:
    done = subprocess.run(command, capture_output=True, text=True, check=True, timeout=600)  # noqa: S603 (our own wrk command line)
    return parse(done.stdout)


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)([a-z]+)", text).groups()  # type: ignore[union-attr]
    return float(number) * UNITS[unit]


def parse(output: str) -> Measured:
    """wrk 4's summary: Requests/sec, the --latency percentiles, errors and non-2xx/3xx."""
    percentiles = dict(re.findall(r"^\s+(50|90|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    done = re.search(r"^\s+(\d+) requests in ([\d.]+)(\w+),", output, re.MULTILINE)
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    if not (percentiles and done and rps):
        raise ValueError(f"unexpected wrk output:\n{output}")
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = int(bad.group(1)) if bad else 0
    if socket:
        errors += sum(int(n) for n in socket.groups())
    return Measured(
        rps=float(rps.group(1)),
        p50_ms=_ms(percentiles["50"]),
        p90_ms=_ms(percentiles["90"]),
        p99_ms=_ms(percentiles["99"]),
        requests=int(done.group(1)),
        errors=errors,
        seconds=_ms(done.group(2) + done.group(3)) / 1000,
    )


POSTING = """\
-- Replies through the API: a random story (or a reply in it) and text, one of the members.
local tokens = {%(tokens)s}
local targets = {%(targets)s}
local bodies = {%(bodies)s}
local n = 0

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%%x+)") or "0", 16))
end

function request()
  n = n + 1
  local target = targets[math.random(#targets)]
  local parent = target[2] == 0 and "null" or tostring(target[2])
  local body = '{"body": ' .. bodies[math.random(#bodies)] .. ', "parent_id": ' .. parent .. '}'
  local headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. tokens[n %% #tokens + 1],
  }
  return wrk.format("POST", "/api/v1/stories/" .. target[1] .. "/replies", headers, body)
end
"""


def posting_script(
    directory: Path, *, tokens: list[str], targets: list[tuple[int, int | None]], bodies: list[str]
) -> Path:
    """A wrk script posting replies; `targets` are (story id, parent reply id or None)."""
    for body in bodies:
        if "]==]" in json.dumps(body):
            raise ValueError("a reply text would end the Lua string early")
    text = POSTING % {
        "tokens": ", ".join(f'"{t}"' for t in tokens),
        "targets": ", ".join(f"{{{story}, {parent or 0}}}" for story, parent in targets),
        "bodies": ",\n  ".join(f"[==[{json.dumps(b)}]==]" for b in bodies),
    }
    path = Path(tempfile.mkstemp(prefix="kindred-bench-", suffix=".lua", dir=directory)[1])
    path.write_text(text, encoding="utf-8")
    return path
