"""A full OGC API - Features harvest with GDAL's OAPIF driver."""

from __future__ import annotations

import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pyogrio


@dataclass(frozen=True)
class Harvest:
    """How one harvest went."""

    seconds: float | None
    features: int | None
    error: str | None = None

    @property
    def label(self) -> str:
        """A short word for the table when no time was measured."""
        return self.error or "-"


def oapif(base_url: str, collection: str, timeout: float, work: Path) -> Harvest:
    """Copy the whole collection with ogr2ogr into a GeoPackage; count it."""
    with tempfile.TemporaryDirectory(dir=work) as folder:
        out = Path(folder) / "harvest.gpkg"
        source = f"OAPIF:{base_url}/collections/{collection}"
        command = ["ogr2ogr", "-f", "GPKG", str(out), source, "-oo", "PAGE_SIZE=1000"]
        started = time.perf_counter()
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return Harvest(None, None, "timeout")
        except subprocess.CalledProcessError as err:
            return Harvest(None, None, f"failed: {err.stderr.decode()[-200:]}")
        seconds = time.perf_counter() - started
        return Harvest(seconds, pyogrio.read_info(out)["features"])
