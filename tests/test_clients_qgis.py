"""QGIS 3.22 (the OAPIF provider, headless) reads what was published, unchanged.

QGIS runs in the system Python (Debian's python3-qgis), in a process of its own:
tests/clients/qgis_harvest.py prints what QGIS read as JSON.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import shapely

sys.path.insert(0, str(Path(__file__).parent))
from clients_fixtures import (  # noqa: E402
    ESRI,
    KECAMATAN,
    KELURAHAN,
    Dataset,
    Harvested,
    assert_matches_source,
    needs_data,
    published_node,
    read_source,
    temporal_dataset,
)

pytestmark = needs_data

QGIS_PYTHON = "/usr/bin/python3"
SCRIPT = Path(__file__).parent / "clients" / "qgis_harvest.py"
SUBSET = "nama = 'Banjarbaru Utara'"


@pytest.fixture(scope="module")
def temporal(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    """The kelurahan with a date column and two features without geometry."""
    return temporal_dataset(tmp_path_factory.mktemp("temporal"))


@pytest.fixture(scope="module")
def qgis(module_backend: Any, start_module_node: Any, temporal: Dataset) -> dict:
    """Return what QGIS read from a node serving the real files, per layer."""
    datasets = [ESRI, KELURAHAN, KECAMATAN, temporal]
    node = published_node(start_module_node, module_backend, datasets)
    args = [d.name for d in datasets] + [KECAMATAN.name, "--subset", SUBSET]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    result = subprocess.run(
        [QGIS_PYTHON, SCRIPT, node.url, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    if "No module named 'qgis'" in result.stderr:
        pytest.fail("QGIS is not installed: apt-get install python3-qgis")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def harvested(layer: dict[str, Any], dataset: Dataset) -> list[Harvested]:
    """Return QGIS's features, keyed for comparison with *dataset*'s source."""
    # QGIS numbers features itself; the Esri file's objectid names the same row.
    fids = {f.properties["objectid"]: f.key for f in read_source(ESRI).values()}
    features = []
    for feature in layer["features"]:
        attributes = feature["attributes"]
        fid = fids[attributes["objectid"]] if dataset is ESRI else feature["id"]
        wkt = feature["wkt"]
        geometry = shapely.from_wkt(wkt) if wkt else None
        features.append(Harvested(fid, attributes, geometry))
    return features


@pytest.mark.parametrize("dataset", [ESRI, KELURAHAN, KECAMATAN], ids=lambda d: d.name)
def test_qgis_reads_every_feature_as_published(qgis: dict, dataset: Dataset) -> None:
    layer = qgis[dataset.name]

    assert layer["valid"]
    assert layer["crs"] == "EPSG:4326"
    assert layer["count"] == len(read_source(dataset))
    assert_matches_source(dataset, harvested(layer, dataset))


def test_qgis_reads_dates_and_features_without_geometry(
    qgis: dict, temporal: Dataset
) -> None:
    layer = qgis[temporal.name]

    assert_matches_source(temporal, harvested(layer, temporal))
    assert sum(f["wkt"] is None for f in layer["features"]) == 2


def test_qgis_field_names_keep_the_source_order(qgis: dict) -> None:
    source = next(iter(read_source(ESRI).values()))

    assert qgis[ESRI.name]["fields"] == list(source.properties)


def test_qgis_subset_string_selects_the_source_features(qgis: dict) -> None:
    layer = qgis[f"{KECAMATAN.name}|{SUBSET}"]

    want = [
        k
        for k, f in read_source(KECAMATAN).items()
        if f.properties["nama"] == "Banjarbaru Utara"
    ]
    assert [f["attributes"]["kode"] for f in layer["features"]] == want
