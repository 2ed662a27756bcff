"""Where the benchmarks read and write."""

from __future__ import annotations

import os
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1]
REPO = BENCH.parent
WORK = BENCH / "work"
RESULTS = BENCH / "results"


def generator() -> Path:
    """Return the shared building generator (override with SIMPUL_BENCH_GENERATOR)."""
    default = REPO.parent / "shared" / "bench" / "make_buildings.py"
    return Path(os.environ.get("SIMPUL_BENCH_GENERATOR") or default)
