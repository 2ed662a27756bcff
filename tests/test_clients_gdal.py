"""GDAL's OAPIF driver (ogr2ogr, ogrinfo) harvests what was published, unchanged."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from clients_fixtures import (  # noqa: E402
    KECAMATAN,
    REAL,
    Dataset,
    Harvested,
    assert_matches_source,
    from_geojson,
    needs_data,
    published_node,
    read_source,
    temporal_dataset,
)

pytestmark = needs_data


@pytest.fixture(scope="module")
def temporal(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    """The kelurahan with a date column and two features without geometry."""
    return temporal_dataset(tmp_path_factory.mktemp("temporal"))


@pytest.fixture(scope="module")
def url(module_backend: Any, start_module_node: Any, temporal: Dataset) -> str:
    """Return the URL of a node serving the real files and the temporal one."""
    return published_node(start_module_node, module_backend, [*REAL, temporal]).url


def ogr2ogr(url: str, name: str, target: Path, *options: str) -> list[Harvested]:
    """Harvest collection *name* with ogr2ogr into GeoJSON; return its features."""
    command = ["ogr2ogr", "-f", "GeoJSON", "-preserve_fid", str(target)]
    command += [f"OAPIF:{url}/collections/{name}", *options]
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    collection = json.loads(target.read_text(encoding="utf-8"))
    return [from_geojson(f) for f in collection["features"]]


@pytest.mark.parametrize("dataset", REAL, ids=lambda d: d.path.name)
def test_ogr2ogr_harvests_every_feature_as_published(
    url: str, dataset: Dataset, tmp_path: Path
) -> None:
    harvested = ogr2ogr(url, dataset.name, tmp_path / "harvest.geojson")

    assert_matches_source(dataset, harvested)


def test_ogr2ogr_keeps_dates_and_features_without_geometry(
    url: str, temporal: Dataset, tmp_path: Path
) -> None:
    harvested = ogr2ogr(url, temporal.name, tmp_path / "harvest.geojson")

    assert_matches_source(temporal, harvested)
    assert sum(f.geometry is None for f in harvested) == 2


def test_ogr2ogr_spatial_filter_matches_the_source(url: str, tmp_path: Path) -> None:
    box = (114.7, -3.6, 115.0, -3.3)
    harvested = ogr2ogr(
        url, KECAMATAN.name, tmp_path / "box.geojson", "-spat", *map(str, box)
    )

    source = read_source(KECAMATAN)
    inside = {k for k, f in source.items() if f.geometry.intersects(box_of(box))}
    assert {f.properties["kode"] for f in harvested} == inside
    assert inside and len(inside) < len(source)


def test_ogr2ogr_attribute_filter_matches_the_source(url: str, tmp_path: Path) -> None:
    where = "nama LIKE 'Banjar%'"
    harvested = ogr2ogr(url, KECAMATAN.name, tmp_path / "w.geojson", "-where", where)

    source = read_source(KECAMATAN)
    named = {k for k, f in source.items() if f.properties["nama"].startswith("Banjar")}
    assert {f.properties["kode"] for f in harvested} == named
    assert named


def test_ogrinfo_lists_every_collection_with_its_count(url: str) -> None:
    for dataset in REAL:
        info = subprocess.run(
            ["ogrinfo", "-ro", "-so", "-al", f"OAPIF:{url}/collections/{dataset.name}"],
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout
        assert f"Feature Count: {len(read_source(dataset))}" in info


def box_of(bounds: tuple[float, float, float, float]) -> Any:
    """Return the shapely polygon of a lon/lat box."""
    import shapely

    return shapely.box(*bounds)
