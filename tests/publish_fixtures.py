"""Fixtures for the publishing tests: a throwaway node folder and derived inputs."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

import simpul.store
from simpul import cli
from simpul.store.base import Layer
from simpul.store.gpkg_read import GeoPackageStore

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data"
BENCH = REPO.parent / "shared" / "bench"
ESRI = DATA / "banjarbaru" / "kelurahan_batas_kota.esri.json"
KELURAHAN = DATA / "banjarbaru" / "kelurahan_banjarbaru.geojson"
KABUPATEN = DATA / "kalsel" / "kabupaten_kota_kalsel.geojson"
KECAMATAN = DATA / "kalsel" / "kecamatan_kalsel.geojson"
#: Kota Banjarbaru lies roughly inside this lon/lat box.
BANJARBARU = (114.6, -3.6, 115.0, -3.3)

needs_data = pytest.mark.skipif(not ESRI.exists(), reason="shared data not present")


@dataclass
class Result:
    """What one `simpul` invocation returned and printed."""

    code: int
    out: str
    err: str


@dataclass
class NodeDir:
    """A node folder: its configuration, store and OpenAPI document."""

    root: Path
    capsys: Any
    env: dict[str, str] = field(default_factory=dict)

    @property
    def config(self) -> Path:
        return self.root / "pygeoapi-config.yml"

    @property
    def store(self) -> Path:
        return self.root / "data" / "simpul.gpkg"

    @property
    def openapi(self) -> Path:
        return self.root / "openapi" / "openapi.yml"

    def simpul(self, *args: str | Path) -> Result:
        """Run the `simpul` command in-process against this node."""
        self.capsys.readouterr()
        try:
            code = cli.main([*map(str, args), "--config", str(self.config)])
        finally:
            # Each command runs in a process of its own in real use; drop the
            # read connections it cached, as the end of that process would.
            simpul.store._STORES.clear()
        captured = self.capsys.readouterr()
        return Result(code, captured.out, captured.err)

    def resources(self) -> dict[str, Any]:
        """Return the datasets of the configuration (the catalogue collection aside)."""
        config = yaml.safe_load(self.config.read_text(encoding="utf-8"))
        return {k: v for k, v in config["resources"].items() if k != "catalogue"}

    def layers(self) -> dict[str, Layer]:
        """Return the store's layers, read afresh (no cached store)."""
        if not self.store.exists():
            return {}
        return {layer.name: layer for layer in GeoPackageStore(self.store).layers()}

    def state(self) -> tuple[str, dict[str, str]]:
        """Return the config's digest and each layer's version, to detect change."""
        digest = hashlib.sha256(self.config.read_bytes()).hexdigest()
        return digest, {n: layer.version for n, layer in self.layers().items()}


@pytest.fixture
def node_dir(tmp_path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch) -> NodeDir:
    """Return a fresh node folder holding a copy of the project's configuration."""
    for name in ("SIMPUL_STORE", "PYGEOAPI_CONFIG", "PYGEOAPI_OPENAPI"):
        monkeypatch.delenv(name, raising=False)
    root = tmp_path / "node"
    root.mkdir()
    shutil.copy(REPO / "pygeoapi-config.yml", root / "pygeoapi-config.yml")
    return NodeDir(root, capsys)


def ogr2ogr(*args: str | Path) -> None:
    """Run GDAL's ogr2ogr (the Debian tool), failing the test on error."""
    subprocess.run(["ogr2ogr", *map(str, args)], check=True, capture_output=True)


def geojson(path: Path, features: list[dict[str, Any]]) -> Path:
    """Write a GeoJSON FeatureCollection to *path*."""
    collection = {"type": "FeatureCollection", "features": features}
    path.write_text(json.dumps(collection), encoding="utf-8")
    return path


def polygon(ring: list[tuple[float, float]], **properties: Any) -> dict[str, Any]:
    """Return a GeoJSON polygon feature with one ring."""
    geometry = {"type": "Polygon", "coordinates": [[list(p) for p in ring]]}
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def map_positions(geometry: dict[str, Any], change: Any) -> dict[str, Any]:
    """Return *geometry* with every position passed through *change*."""

    def walk(coords: Any) -> Any:
        if coords and isinstance(coords[0], int | float):
            return change(coords)
        return [walk(c) for c in coords]

    return {**geometry, "coordinates": walk(geometry["coordinates"])}


def rewrite(source: Path, target: Path, change: Any) -> Path:
    """Copy a GeoJSON file with every position changed by *change*."""
    collection = json.loads(source.read_text(encoding="utf-8"))
    for feature in collection["features"]:
        feature["geometry"] = map_positions(feature["geometry"], change)
    target.write_text(json.dumps(collection), encoding="utf-8")
    return target


def zip_files(target: Path, files: list[Path]) -> Path:
    """Zip *files* (by their names) into *target*."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            archive.write(path, path.name)
    return target


def shapefile_parts(shp: Path) -> list[Path]:
    """Return the .shp and its companion files."""
    return sorted(shp.parent.glob(shp.stem + ".*"))
