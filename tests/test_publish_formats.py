"""Publishing real input as it arrives: zipped shapefiles, CSV, KML, GeoPackage."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pytest

from simpul.store.base import Query
from simpul.store.gpkg_read import GeoPackageStore

sys.path.insert(0, str(Path(__file__).parent))
from publish_fixtures import (  # noqa: E402
    BANJARBARU,
    ESRI,
    KABUPATEN,
    KELURAHAN,
    NodeDir,
    needs_data,
    node_dir,
    ogr2ogr,
    rewrite,
    shapefile_parts,
    zip_files,
)

__all__ = ["node_dir"]
pytestmark = needs_data

ACCENTED = "Landasan Ulin Timur – luas ± 5 km²"


def values(node: NodeDir, name: str, column: str) -> list[object]:
    """Return one attribute of every feature of a stored layer."""
    store = GeoPackageStore(node.store)
    layer = store.layer(name)
    return [r.properties[column] for r in store.features(layer, Query(limit=1000))]


def inside_banjarbaru(node: NodeDir, name: str) -> bool:
    """Tell whether the configured extent of *name* lies in Kota Banjarbaru."""
    minx, miny, maxx, maxy = node.resources()[name]["extents"]["spatial"]["bbox"]
    return (
        BANJARBARU[0] < minx < maxx < BANJARBARU[2]
        and BANJARBARU[1] < miny < maxy < BANJARBARU[3]
    )


@pytest.fixture
def accented(tmp_path: Path) -> Path:
    """Return the kelurahan GeoJSON with one name in Windows-1252 punctuation."""
    collection = json.loads(KELURAHAN.read_text(encoding="utf-8"))
    collection["features"][0]["properties"]["nama"] = ACCENTED
    path = tmp_path / "accented.geojson"
    path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def utm_shapefile(tmp_path: Path, accented: Path) -> Path:
    """Return a UTM 50S shapefile whose DBF is in Windows-1252 with a .cpg."""
    shp = tmp_path / "shp" / "kelurahan_utm.shp"
    shp.parent.mkdir()
    ogr2ogr("-t_srs", "EPSG:32750", "-lco", "ENCODING=CP1252", shp, accented)
    return shp


def test_zipped_utm_shapefile_is_reprojected_and_decoded(
    node_dir: NodeDir, utm_shapefile: Path, tmp_path: Path
) -> None:
    assert (utm_shapefile.with_suffix(".cpg")).read_text().strip() == "CP1252"
    archive = zip_files(tmp_path / "kelurahan.zip", shapefile_parts(utm_shapefile))

    result = node_dir.simpul("publish", archive, "--name", "kelurahan")

    assert result.code == 0, result.err
    assert ACCENTED in values(node_dir, "kelurahan", "nama")
    assert inside_banjarbaru(node_dir, "kelurahan")
    assert "(EPSG:32750)" in node_dir.resources()["kelurahan"]["description"]


def test_dbf_without_code_page_is_read_as_windows_1252(
    node_dir: NodeDir, utm_shapefile: Path
) -> None:
    utm_shapefile.with_suffix(".cpg").unlink()

    result = node_dir.simpul("publish", utm_shapefile, "--name", "kelurahan")

    assert result.code == 0, result.err
    assert "Windows-1252" in result.err
    assert ACCENTED in values(node_dir, "kelurahan", "nama")


def test_shapefile_without_prj_is_refused_then_accepted_with_crs(
    node_dir: NodeDir, utm_shapefile: Path
) -> None:
    utm_shapefile.with_suffix(".prj").unlink()
    before = node_dir.state()

    refused = node_dir.simpul("publish", utm_shapefile, "--name", "kelurahan")
    assert refused.code == 1
    assert "kelurahan_utm.shp" in refused.err and "--crs" in refused.err
    assert "Traceback" not in refused.err
    assert node_dir.state() == before

    accepted = node_dir.simpul(
        "publish", utm_shapefile, "--name", "kelurahan", "--crs", "EPSG:32750"
    )
    assert accepted.code == 0, accepted.err
    assert inside_banjarbaru(node_dir, "kelurahan")


@pytest.mark.parametrize(("part", "word"), [(".dbf", "dbf"), (".shx", "shx")])
def test_shapefile_missing_a_part_is_refused(
    node_dir: NodeDir, utm_shapefile: Path, part: str, word: str
) -> None:
    utm_shapefile.with_suffix(part).unlink()
    before = node_dir.state()

    result = node_dir.simpul("publish", utm_shapefile, "--name", "kelurahan")

    assert result.code == 1
    assert "kelurahan_utm.shp" in result.err and word in result.err
    assert "missing" in result.err
    assert node_dir.state() == before


def test_corrupt_zip_is_refused(
    node_dir: NodeDir, utm_shapefile: Path, tmp_path: Path
) -> None:
    whole = zip_files(tmp_path / "whole.zip", shapefile_parts(utm_shapefile))
    cut = tmp_path / "cut.zip"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    before = node_dir.state()

    result = node_dir.simpul("publish", cut, "--name", "kelurahan")

    assert result.code == 1
    assert "cut.zip" in result.err and "zip" in result.err
    assert node_dir.state() == before


def test_truncated_geojson_is_refused(node_dir: NodeDir, tmp_path: Path) -> None:
    cut = tmp_path / "cut.geojson"
    cut.write_bytes(KELURAHAN.read_bytes()[:5000])
    before = node_dir.state()

    result = node_dir.simpul("publish", cut, "--name", "kelurahan")

    assert result.code == 1
    assert "cut.geojson" in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert node_dir.state() == before


def test_csv_with_odd_coordinate_column_names(
    node_dir: NodeDir, tmp_path: Path
) -> None:
    path = tmp_path / "titik.csv"
    collection = json.loads(KELURAHAN.read_text(encoding="utf-8"))
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["Kode", "Nama Kelurahan", "Lintang (LS)", "BUJUR_TIMUR"])
        for f in collection["features"]:
            p = f["properties"]
            out.writerow([p["kode"], p["nama"], p["lat"], p["lng"]])

    result = node_dir.simpul("publish", path, "--name", "titik")

    assert result.code == 0, result.err
    layer = node_dir.layers()["titik"]
    assert (layer.count, layer.geometry_type) == (20, "Point")
    assert layer.field("Lintang (LS)") is None
    assert inside_banjarbaru(node_dir, "titik")


def test_csv_with_wkt_column_needs_crs(node_dir: NodeDir, tmp_path: Path) -> None:
    path = tmp_path / "wkt.csv"
    path.write_text(
        "kode,WKT\n63.72.04,POINT (114.847 -3.446)\n63.72.05,POINT (114.832 -3.457)\n",
        encoding="utf-8",
    )

    refused = node_dir.simpul("publish", path, "--name", "wkt")
    accepted = node_dir.simpul("publish", path, "--name", "wkt", "--crs", "EPSG:4326")

    assert refused.code == 1 and "--crs" in refused.err
    assert accepted.code == 0, accepted.err
    assert node_dir.layers()["wkt"].count == 2


def test_geojson_with_3d_and_4d_positions_is_stored_2d(
    node_dir: NodeDir, tmp_path: Path
) -> None:
    path = rewrite(KELURAHAN, tmp_path / "z.geojson", lambda p: [*p, 25.0, 1.5])

    result = node_dir.simpul("publish", path, "--name", "kelurahan")

    assert result.code == 0, result.err
    store = GeoPackageStore(node_dir.store)
    layer = store.layer("kelurahan")
    row = next(store.features(layer, Query(limit=1)))
    assert row.wkb[1:5] == (3).to_bytes(4, "little")  # 2D Polygon, no Z/M flag


def test_geopackage_with_two_layers_needs_layer(
    node_dir: NodeDir, tmp_path: Path
) -> None:
    path = tmp_path / "two.gpkg"
    ogr2ogr(path, KELURAHAN, "-nln", "kelurahan")
    ogr2ogr("-update", path, KABUPATEN, "-nln", "kabupaten")

    refused = node_dir.simpul("publish", path, "--name", "x")
    chosen = node_dir.simpul("publish", path, "--name", "kab", "--layer", "kabupaten")

    assert refused.code == 1
    assert "kelurahan" in refused.err and "kabupaten" in refused.err
    assert "--layer" in refused.err
    assert chosen.code == 0, chosen.err
    assert node_dir.layers()["kab"].count == 13


def test_kml_from_google_earth_style_export(node_dir: NodeDir, tmp_path: Path) -> None:
    path = tmp_path / "kelurahan.kml"
    ogr2ogr("-f", "KML", path, ESRI, "-dsco", "NameField=namobj")

    result = node_dir.simpul("publish", path, "--name", "kelurahan")

    assert result.code == 0, result.err
    layer = node_dir.layers()["kelurahan"]
    assert layer.count == 20
    assert "Kelurahan Sungai Tiung" in values(node_dir, "kelurahan", "Name")


def test_zip_with_two_shapefiles_needs_layer(
    node_dir: NodeDir, utm_shapefile: Path, tmp_path: Path
) -> None:
    other = tmp_path / "shp" / "kabupaten.shp"
    ogr2ogr(other, KABUPATEN)
    parts = shapefile_parts(utm_shapefile) + shapefile_parts(other)
    archive = zip_files(tmp_path / "both.zip", parts)

    refused = node_dir.simpul("publish", archive, "--name", "x")
    chosen = node_dir.simpul("publish", archive, "--name", "x", "--layer", "kabupaten")

    assert refused.code == 1
    assert "kabupaten" in refused.err and "kelurahan_utm" in refused.err
    assert chosen.code == 0, chosen.err
    assert node_dir.layers()["x"].count == 13
