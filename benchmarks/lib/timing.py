"""Repeat a measurement: warm up, then keep the median and the minimum."""

from __future__ import annotations

import http.client
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Timing:
    """Milliseconds of repeated runs."""

    median: float
    minimum: float
    runs: int

    def as_dict(self) -> dict[str, Any]:
        """Return the timing as JSON-ready values."""
        return {
            "median_ms": round(self.median, 2),
            "min_ms": round(self.minimum, 2),
            "runs": self.runs,
        }

    @classmethod
    def of(cls, samples: list[float]) -> Timing:
        """Return the timing of *samples* in milliseconds."""
        return cls(statistics.median(samples), min(samples), len(samples))


def measure(
    work: Callable[[], Any],
    repeat: int,
    warmup: int = 2,
    clock: Callable[[], float] = time.perf_counter,
) -> Timing:
    """Run *work* warmup times untimed, then *repeat* times timed by *clock*."""
    for _ in range(warmup):
        work()
    samples = []
    for _ in range(repeat):
        started = clock()
        work()
        samples.append((clock() - started) * 1000)
    return Timing.of(samples)


class Client:
    """One keep-alive HTTP connection to a loopback server."""

    def __init__(self, base_url: str) -> None:
        host, _, port = base_url.removeprefix("http://").partition(":")
        self.conn = http.client.HTTPConnection(host, int(port), timeout=600)

    def get(self, path: str) -> bytes:
        """Return the body of GET *path*; raise unless the status is 200."""
        self.conn.request("GET", path, headers={"Accept": "application/geo+json"})
        response = self.conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"GET {path}: {response.status} {body[:200]!r}")
        return body

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()
