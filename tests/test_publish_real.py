"""Publishing the real Banjarbaru and Kalimantan Selatan files, read in place."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from simpul.store.base import STORAGE_CRS, FieldType, Query
from simpul.store.gpkg_read import GeoPackageStore

sys.path.insert(0, str(Path(__file__).parent))
from publish_fixtures import (  # noqa: E402
    BANJARBARU,
    ESRI,
    KABUPATEN,
    KECAMATAN,
    KELURAHAN,
    NodeDir,
    needs_data,
    node_dir,
)

__all__ = ["node_dir"]
pytestmark = needs_data

CASES = [
    # file, name, features, geometry type, attributes that must be there
    (ESRI, "ADMINISTRASIDESA_AR_25K", 20, "Polygon", ["namobj", "fcode", "wadmkd"]),
    (KELURAHAN, "kelurahan", 20, "Polygon", ["kode", "nama", "lat", "lng"]),
    (KABUPATEN, "kabupaten-kota", 13, "MultiPolygon", ["kode", "nama"]),
    (KECAMATAN, "kecamatan", 156, "MultiPolygon", ["kode", "nama"]),
]


@pytest.mark.parametrize(("path", "name", "count", "geometry_type", "attrs"), CASES)
def test_real_file_is_stored_and_configured(
    node_dir: NodeDir,
    path: Path,
    name: str,
    count: int,
    geometry_type: str,
    attrs: list[str],
) -> None:
    result = node_dir.simpul("publish", path, "--name", name)

    assert result.code == 0, result.err
    assert f"published {name}: {count} {geometry_type}" in result.err
    layer = node_dir.layers()[name]
    assert (layer.count, layer.geometry_type) == (count, geometry_type)
    assert all(layer.field(a) is not None for a in attrs)

    provider = node_dir.resources()[name]["providers"][0]
    assert provider["table"] == name
    assert provider["data"] == "${SIMPUL_STORE:-data/simpul.gpkg}"
    assert provider["storage_crs"] == STORAGE_CRS
    assert "http://www.opengis.net/def/crs/EPSG/0/32750" in provider["crs"]
    assert f"/collections/{name}:" in node_dir.openapi.read_text(encoding="utf-8")


def test_esri_json_keeps_lowercase_kugi_attributes(node_dir: NodeDir) -> None:
    result = node_dir.simpul("publish", ESRI, "--name", "ADMINISTRASIDESA_AR_25K")

    assert result.code == 0, result.err
    assert "KUGI attributes missing" not in result.err
    layer = node_dir.layers()["ADMINISTRASIDESA_AR_25K"]
    assert layer.field("namobj").type is FieldType.STRING
    assert layer.field("luaswh").type is FieldType.NUMBER
    assert layer.field("NAMOBJ") is None
    entry = node_dir.resources()["ADMINISTRASIDESA_AR_25K"]
    assert entry["providers"][0]["title_field"] == "namobj"
    assert entry["keywords"] == ["ADMINISTRASIDESA", "Batas Wilayah"]


def test_extent_lies_in_banjarbaru(node_dir: NodeDir) -> None:
    node_dir.simpul("publish", KELURAHAN, "--name", "kelurahan", "--title", "Kelurahan")

    entry = node_dir.resources()["kelurahan"]
    minx, miny, maxx, maxy = entry["extents"]["spatial"]["bbox"]
    assert BANJARBARU[0] < minx < maxx < BANJARBARU[2]
    assert BANJARBARU[1] < miny < maxy < BANJARBARU[3]
    assert entry["extents"]["spatial"]["crs"] == STORAGE_CRS
    assert entry["title"] == "Kelurahan"
    assert "20 area features" in entry["description"]


def test_mixed_polygons_are_all_stored_as_multipolygons(node_dir: NodeDir) -> None:
    result = node_dir.simpul("publish", KABUPATEN, "--name", "kabupaten")

    assert "stored as MultiPolygon" in result.err
    store = GeoPackageStore(node_dir.store)
    layer = store.layer("kabupaten")
    rows = list(store.features(layer, Query(limit=100)))
    assert {row.wkb[1] for row in rows} == {6}  # ISO WKB type code of MultiPolygon


def test_config_keeps_comments_and_other_sections(node_dir: NodeDir) -> None:
    before = node_dir.config.read_text(encoding="utf-8")

    node_dir.simpul("publish", KELURAHAN, "--name", "kelurahan")

    after = node_dir.config.read_text(encoding="utf-8")
    for line in before.splitlines():
        if line.lstrip().startswith("#") or line.startswith("server:"):
            assert line in after
    config = yaml.safe_load(after)
    assert config["simpul"]["kode_simpul"] == "6372"
    assert sorted(config["resources"]) == ["catalogue", "kelurahan"]
