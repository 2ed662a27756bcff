"""What publishing refuses, repairs and warns about: CRS, geometry, names, KUGI."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import shapely

from simpul.store.base import Query
from simpul.store.gpkg_read import GeoPackageStore

sys.path.insert(0, str(Path(__file__).parent))
from publish_fixtures import (  # noqa: E402
    KELURAHAN,
    NodeDir,
    geojson,
    needs_data,
    node_dir,
    ogr2ogr,
    polygon,
    rewrite,
)

__all__ = ["node_dir"]

BOWTIE = [(114.80, -3.40), (114.82, -3.42), (114.82, -3.40), (114.80, -3.42)]
SQUARE = [(114.80, -3.40), (114.81, -3.40), (114.81, -3.41), (114.80, -3.41)]
FLAT = [(114.80, -3.40), (114.81, -3.40), (114.82, -3.40)]
KUGI = {"FCODE": "BA03080040", "REMARK": "", "METADATA": "x", "SRS_ID": "4326"}


def ring(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Return *points* closed into a ring."""
    return [*points, points[0]]


def rejected(node: NodeDir, before: object, result: object, *words: str) -> None:
    """Assert a one-sentence refusal naming *words*, with nothing changed."""
    assert result.code == 1, result.err
    last = result.err.strip().splitlines()[-1]
    assert last.startswith("error: ")
    assert all(w in last for w in words), last
    assert "Traceback" not in result.err
    assert node.state() == before


@needs_data
def test_utm_declared_but_degrees_is_refused(node_dir: NodeDir, tmp_path: Path) -> None:
    path = tmp_path / "kelurahan.shp"
    ogr2ogr("-a_srs", "EPSG:32750", path, KELURAHAN)
    before = node_dir.state()

    result = node_dir.simpul("publish", path, "--name", "kelurahan")

    rejected(node_dir, before, result, "kelurahan.shp", "EPSG:32750", "degrees")


@needs_data
def test_degrees_declared_but_utm_metres_is_refused(
    node_dir: NodeDir, tmp_path: Path
) -> None:
    utm = tmp_path / "utm.shp"
    ogr2ogr("-t_srs", "EPSG:32750", utm, KELURAHAN)
    before = node_dir.state()

    result = node_dir.simpul("publish", utm, "--name", "k", "--crs", "EPSG:4326")

    rejected(node_dir, before, result, "utm.shp", "metres", "--crs")


@needs_data
def test_swapped_latitude_longitude_is_refused(
    node_dir: NodeDir, tmp_path: Path
) -> None:
    path = rewrite(KELURAHAN, tmp_path / "swapped.geojson", lambda p: [p[1], p[0]])
    before = node_dir.state()

    result = node_dir.simpul("publish", path, "--name", "kelurahan")

    rejected(node_dir, before, result, "swapped.geojson", "swapped")


def test_bowtie_is_repaired_and_reported(node_dir: NodeDir, tmp_path: Path) -> None:
    path = geojson(
        tmp_path / "bangunan.geojson",
        [
            polygon(ring(SQUARE), NAMOBJ="square", **KUGI),
            polygon(ring(BOWTIE), NAMOBJ="bow-tie", **KUGI),
        ],
    )

    result = node_dir.simpul("publish", path, "--name", "BANGUNAN_AR_5K")

    assert result.code == 0, result.err
    assert "repaired 1 invalid geometry" in result.err and "rows 2" in result.err
    store = GeoPackageStore(node_dir.store)
    layer = store.layer("BANGUNAN_AR_5K")
    assert layer.geometry_type == "MultiPolygon"
    geoms = [shapely.from_wkb(r.wkb) for r in store.features(layer, Query())]
    assert all(shapely.is_valid(g) for g in geoms)
    assert sum(g.area for g in geoms) == pytest.approx(0.0001 + 0.0002)


def test_collapsed_polygon_is_refused(node_dir: NodeDir, tmp_path: Path) -> None:
    path = geojson(
        tmp_path / "flat.geojson",
        [polygon(ring(SQUARE), NAMOBJ="ok"), polygon(ring(FLAT), NAMOBJ="flat")],
    )
    before = node_dir.state()

    result = node_dir.simpul("publish", path, "--name", "flat")

    rejected(node_dir, before, result, "flat.geojson", "cannot be repaired", "rows 2")


def test_null_and_empty_geometries_are_kept_as_null(
    node_dir: NodeDir, tmp_path: Path
) -> None:
    empty = {"type": "Polygon", "coordinates": []}
    features = [
        polygon(ring(SQUARE), NAMOBJ="a"),
        {"type": "Feature", "properties": {"NAMOBJ": "b"}, "geometry": None},
        {"type": "Feature", "properties": {"NAMOBJ": "c"}, "geometry": empty},
    ]
    path = geojson(tmp_path / "gaps.geojson", features)

    result = node_dir.simpul("publish", path, "--name", "gaps")

    assert result.code == 0, result.err
    assert "1 feature with no geometry (rows 2)" in result.err
    assert "1 feature with an empty geometry (rows 3)" in result.err
    store = GeoPackageStore(node_dir.store)
    layer = store.layer("gaps")
    assert [r.wkb is None for r in store.features(layer, Query())] == [
        False,
        True,
        True,
    ]


def test_unrelated_geometry_types_make_an_unknown_layer(
    node_dir: NodeDir, tmp_path: Path
) -> None:
    point = {"type": "Point", "coordinates": [114.8, -3.4]}
    features = [
        polygon(ring(SQUARE), NAMOBJ="a"),
        {"type": "Feature", "properties": {"NAMOBJ": "b"}, "geometry": point},
    ]
    path = geojson(tmp_path / "mixed.geojson", features)

    result = node_dir.simpul("publish", path, "--name", "mixed")

    assert result.code == 0, result.err
    assert "Unknown" in result.err
    assert node_dir.layers()["mixed"].geometry_type == "Unknown"


@pytest.mark.parametrize("name", ["9lives", "two words", "a" * 64, "jalan.ln", ""])
def test_bad_dataset_names_are_refused(
    node_dir: NodeDir, tmp_path: Path, name: str
) -> None:
    path = geojson(tmp_path / "a.geojson", [polygon(ring(SQUARE), NAMOBJ="a")])

    result = node_dir.simpul("publish", path, "--name", name)

    assert result.code == 1
    assert "dataset name" in result.err


@pytest.mark.parametrize("name", ["JALAN_LN_25K", "jalan-kota", "a" * 63])
def test_good_dataset_names_are_used_as_given(
    node_dir: NodeDir, tmp_path: Path, name: str
) -> None:
    path = geojson(tmp_path / "a.geojson", [polygon(ring(SQUARE), NAMOBJ="a")])

    assert node_dir.simpul("publish", path, "--name", name).code == 0
    assert name in node_dir.resources()
    assert name in node_dir.layers()


def test_attribute_names_differing_in_case_are_refused(
    node_dir: NodeDir, tmp_path: Path
) -> None:
    path = geojson(
        tmp_path / "dup.geojson", [polygon(ring(SQUARE), NAMOBJ="a", namobj="b")]
    )
    before = node_dir.state()

    result = node_dir.simpul("publish", path, "--name", "dup")

    rejected(node_dir, before, result, "dup.geojson", "NAMOBJ", "namobj")


def test_fid_attribute_that_is_no_id_is_refused(
    node_dir: NodeDir, tmp_path: Path
) -> None:
    features = [polygon(ring(SQUARE), fid="x"), polygon(ring(SQUARE), fid="x")]
    path = geojson(tmp_path / "fid.geojson", features)
    before = node_dir.state()

    result = node_dir.simpul("publish", path, "--name", "fid")

    rejected(node_dir, before, result, "fid.geojson", "fid", "rename")


def test_attribute_named_like_the_geometry_column_is_refused(
    node_dir: NodeDir, tmp_path: Path
) -> None:
    path = geojson(tmp_path / "geom.geojson", [polygon(ring(SQUARE), GEOM="x")])
    before = node_dir.state()

    result = node_dir.simpul("publish", path, "--name", "geom")

    rejected(node_dir, before, result, "geom.geojson", "GEOM", "rename")


def test_kugi_departures_are_warnings(node_dir: NodeDir, tmp_path: Path) -> None:
    features = [polygon(ring(SQUARE), namobj=" "), polygon(ring(SQUARE), namobj="b")]
    path = geojson(tmp_path / "jalan.geojson", features)

    result = node_dir.simpul("publish", path, "--name", "JALAN_LN_25K")

    assert result.code == 0, result.err
    assert "says line (LN) but the geometries are Polygon" in result.err
    assert "KUGI attributes missing: FCODE, REMARK, METADATA, SRS_ID" in result.err
    assert "1 feature with a blank namobj (rows 1)" in result.err
    provider = node_dir.resources()["JALAN_LN_25K"]["providers"][0]
    assert provider["title_field"] == "namobj"


def test_bad_usage_exits_with_2(node_dir: NodeDir) -> None:
    with pytest.raises(SystemExit) as stopped:
        node_dir.simpul("publish", "somewhere.shp")
    assert stopped.value.code == 2


def test_missing_file_is_refused(node_dir: NodeDir) -> None:
    result = node_dir.simpul("publish", "nowhere.geojson", "--name", "x")

    assert result.code == 1
    assert "nowhere.geojson does not exist" in result.err
