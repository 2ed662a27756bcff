"""The building workload, generated once per set of arguments and kept."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from pathlib import Path

from .paths import WORK, generator

LOGGER = logging.getLogger(__name__)


def buildings(count: int, seed: int = 6372) -> Path:
    """Return the GeoJSON-lines file of *count* buildings, generating it if needed."""
    folder = WORK / "workload"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"buildings-{count}-seed{seed}.geojsonl"
    if path.exists():
        return path
    script = generator()
    if not script.exists():
        raise SystemExit(f"the building generator is missing: {script}")
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    print(f"generating {count} buildings into {path} ...", flush=True)
    started = time.perf_counter()
    command = [sys.executable, str(script), "--count", str(count)]
    command += ["--seed", str(seed), "--out", str(tmp)]
    subprocess.run(command, check=True)
    os.replace(tmp, path)
    LOGGER.info("generated in %.1f s", time.perf_counter() - started)
    return path
