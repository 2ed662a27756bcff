"""Fixtures for the catalogue tests: a served node with real datasets published."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml

from simpul.publish.records.collection import catalogue_resource

sys.path.insert(0, str(Path(__file__).parent))
from conftest import Node  # noqa: E402

SCRIPT = Path(__file__).with_name("catalogue_publish.py")
DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
KELURAHAN_ESRI = DATA / "banjarbaru" / "kelurahan_batas_kota.esri.json"
KELURAHAN = DATA / "banjarbaru" / "kelurahan_banjarbaru.geojson"
KECAMATAN = DATA / "kalsel" / "kecamatan_kalsel.geojson"
KABUPATEN = DATA / "kalsel" / "kabupaten_kota_kalsel.geojson"
#: The datasets every catalogue test node publishes, by name.
DATASETS = {
    "batas_kota": KELURAHAN_ESRI,
    "kelurahan": KELURAHAN,
    "kecamatan_kalsel": KECAMATAN,
    "kabupaten_kalsel": KABUPATEN,
}
needs_data = pytest.mark.skipif(not KECAMATAN.exists(), reason="shared data absent")


@dataclass
class CatalogueNode:
    """A served node whose catalogue the tests read and change."""

    node: Node
    warnings: dict[str, list[str]] = field(default_factory=dict)

    @property
    def csw(self) -> str:
        return f"{self.node.url}/csw"

    def metadata_file(self, name: str) -> Path:
        """Return the operator's metadata file of dataset *name*."""
        return self.node.data / "metadata" / f"{name}.yml"

    def describe(self, name: str, title: str, abstract: str, **extra: Any) -> None:
        """Write an operator metadata file with every required element filled."""
        identification = {
            "title": title,
            "abstract": abstract,
            "keywords": {"default": {"keywords": ["batas wilayah", name]}},
            "topiccategory": ["boundaries"],
            "maintenancefrequency": "annually",
            "accessclass": "public",
            "edition": "2025",
            "license": {"name": "CC-BY-4.0"},
        }
        identification.update(extra)
        content = {
            "mcf": {"version": 2.0},
            "identification": identification,
            "contact": {
                "pointOfContact": {
                    "organization": "Bappeda Kota Banjarbaru",
                    "email": "bappeda@banjarbarukota.go.id",
                }
            },
            "dataquality": {"lineage": {"statement": "Batas Kemendagri 2025"}},
        }
        path = self.metadata_file(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")

    def publish(self, name: str, path: Path) -> list[str]:
        """Publish *path* as *name* and build its record, in a process of its own."""
        warnings = self._run(name, str(path))
        self.warnings[name] = warnings
        return warnings

    def unpublish(self, name: str) -> None:
        """Remove dataset *name* and its record, in a process of its own."""
        self._run(name)

    def _run(self, *args: str) -> list[str]:
        """Run catalogue_publish.py for this node; return the warnings it printed."""
        env = {**os.environ, "PYGEOAPI_OPENAPI": str(self.node.openapi)}
        command = [sys.executable, str(SCRIPT), str(self.node.config), *args]
        done = subprocess.run(command, capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.splitlines()[-1])


def add_catalogue(config: dict[str, Any]) -> None:
    """Add the catalogue collection unless the base configuration has it."""
    config["resources"].setdefault("catalogue", catalogue_resource())


def served_catalogue(start: Callable[..., Node]) -> CatalogueNode:
    """Return a running node with every dataset of DATASETS published."""
    node = start(add_catalogue)
    # Records link to the configured public URL, as harvesters will follow them.
    config = node.read_config()
    config["server"]["url"] = node.url
    node.write_config(config)

    catalogue = CatalogueNode(node)
    for index, (name, path) in enumerate(DATASETS.items()):
        if index:  # the first stays undescribed on purpose
            catalogue.describe(name, f"Batas {name}", f"Abstrak {name}.")
        catalogue.publish(name, path)
    wait_for_records(catalogue, len(DATASETS))
    return catalogue


def wait_for_records(catalogue: CatalogueNode, count: int) -> None:
    """Wait until the served catalogue holds *count* records."""
    url = f"{catalogue.node.url}/collections/catalogue/items?limit=1"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        response = requests.get(url, timeout=10)
        if response.ok and response.json().get("numberMatched") == count:
            return
        time.sleep(0.2)
    pytest.fail(f"the catalogue never held {count} records")
