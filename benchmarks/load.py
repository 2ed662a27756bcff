"""Throughput under concurrent clients: wrk against HTTP, pgbench for the floor."""

from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from simpul.store import pgcluster

CLIENTS = 32

WRK_SCRIPT = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[((i - 1) %% #paths) + 1])
end
"""


@dataclass
class Load:
    """What one run under load reached."""

    rps: float
    p50_ms: float | None
    p99_ms: float | None
    errors: int  # non-2xx/3xx answers, socket errors and timeouts

    def __str__(self) -> str:
        text = f"{self.rps:.1f}/s"
        if self.p99_ms is not None:
            text += f" p99 {self.p99_ms:.0f}ms"
        return text + (f" ({self.errors} err)" if self.errors else "")


def wrk(base: str, paths: list[str], seconds: int) -> Load:
    """Run wrk with CLIENTS connections cycling through *paths*."""
    quoted = ", ".join(f'"{p}"' for p in paths)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % quoted)
    command = ["wrk", "-t2", f"-c{CLIENTS}", f"-d{seconds}s", "--timeout", "10s"]
    command += ["--latency", "-s", script.name, base]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    Path(script.name).unlink()
    errors = sum(
        int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out)
    )
    errors += sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    return Load(
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        p50_ms=_latency(out, "50%"),
        p99_ms=_latency(out, "99%"),
        errors=errors,
    )


def _latency(out: str, label: str) -> float | None:
    match = re.search(rf"{label}\s+([\d.]+)(us|ms|s)\b", out)
    if match is None:
        return None
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[match.group(2)]
    return float(match.group(1)) * scale


BBOX_SCRIPT = r"""
\set i random(0, 63)
\set cx 114.74 + (:i %% 8) * 0.02
\set cy -3.52 + (:i / 8) * 0.02
%s
"""

TILE_SCRIPT = r"""
\set x random(%d, %d)
\set y random(%d, %d)
\set size 40075016.685578488 / 65536.0
\set left -20037508.342789244 + :x * :size
\set right :left + :size
\set top 20037508.342789244 - :y * :size
\set bottom :top - :size
%s
"""


def pgbench(
    cluster: pgcluster.Cluster, database: str, script: str, seconds: int
) -> Load:
    """Run pgbench with CLIENTS connections; return transactions per second."""
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as handle:
        handle.write(script)
    command = [str(cluster.bindir / "pgbench"), "-n", "-c", str(CLIENTS), "-j", "2"]
    command += ["-T", str(seconds), "-f", handle.name, "-h", "127.0.0.1"]
    command += ["-p", str(cluster.port), "-U", "simpul_reader", database]
    env = {"PGPASSWORD": cluster.passwords["simpul_reader"], "PATH": "/usr/bin:/bin"}
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    Path(handle.name).unlink()
    if done.returncode != 0:
        raise RuntimeError(done.stderr)
    tps = float(re.search(r"tps = ([\d.]+)", done.stdout).group(1))
    failed = re.search(r"number of failed transactions: (\d+)", done.stdout)
    return Load(tps, None, None, int(failed.group(1)) if failed else 0)
