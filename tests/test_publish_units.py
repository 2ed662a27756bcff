"""The small decisions of publishing: KUGI names, coordinate columns, types."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from simpul.publish import config, csvcoords, fields, kugi, resource
from simpul.publish.report import PublishError
from simpul.store.base import FieldType, Query
from simpul.store.gpkg_read import GeoPackageStore

sys.path.insert(0, str(Path(__file__).parent))
from publish_fixtures import NodeDir, node_dir  # noqa: E402

__all__ = ["node_dir"]


@pytest.mark.parametrize(
    ("name", "parsed"),
    [
        ("ADMINISTRASIDESA_AR_25K", ("ADMINISTRASIDESA", "AR", "25K")),
        ("jalan_ln_5k", ("JALAN", "LN", "5K")),
        ("SUNGAI_LN_1M", ("SUNGAI", "LN", "1M")),
        ("kelurahan", None),
        ("JALAN_XX_25K", None),
    ],
)
def test_kugi_layer_names(name: str, parsed: tuple[str, str, str] | None) -> None:
    assert kugi.parse_name(name) == parsed


@pytest.mark.parametrize(
    ("name", "theme"),
    [("JALAN_LN_25K", "Transportasi"), ("SUNGAI_AR_5K", "Hidrografi"), ("x", None)],
)
def test_kugi_themes(name: str, theme: str | None) -> None:
    assert kugi.theme(name) == theme


def test_keywords_are_name_words_and_theme() -> None:
    assert resource.keywords("ADMINISTRASIDESA_AR_25K") == [
        "ADMINISTRASIDESA",
        "Batas Wilayah",
    ]
    assert resource.keywords("batas-kelurahan")[-1] == "Batas Wilayah"
    assert resource.keywords("titik_wisata") == ["titik", "wisata"]


@pytest.mark.parametrize(
    ("columns", "x", "y"),
    [
        (["kode", "Lintang (LS)", "BUJUR_TIMUR"], "BUJUR_TIMUR", "Lintang (LS)"),
        (["X", "Y", "nama"], "X", "Y"),
        (["Longitude", "Latitude"], "Longitude", "Latitude"),
        (["lng", "lat", "lat_asli"], "lng", "lat"),
    ],
)
def test_coordinate_columns_are_found(columns: list[str], x: str, y: str) -> None:
    assert csvcoords.find_column("t.csv", columns, csvcoords.X_NAMES) == x
    assert csvcoords.find_column("t.csv", columns, csvcoords.Y_NAMES) == y


def test_two_candidate_coordinate_columns_are_refused() -> None:
    with pytest.raises(PublishError, match="lon, longitude"):
        csvcoords.find_column("t.csv", ["lon", "longitude"], csvcoords.X_NAMES)


@pytest.mark.parametrize(
    ("types", "chosen"),
    [
        ({"TGLUPDATE": FieldType.DATE, "NAMOBJ": FieldType.STRING}, "TGLUPDATE"),
        ({"mulai": FieldType.DATE, "TGLUPDATE": FieldType.DATETIME}, "TGLUPDATE"),
        ({"mulai": FieldType.DATE, "selesai": FieldType.DATE}, None),
        ({"NAMOBJ": FieldType.STRING}, None),
    ],
)
def test_time_field_is_the_one_obvious_date(
    types: dict[str, FieldType], chosen: str | None
) -> None:
    assert fields.time_field(types) == chosen


def test_store_reference_expands_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SIMPUL_STORE", raising=False)
    assert config.expand("${SIMPUL_STORE:-data/simpul.gpkg}") == "data/simpul.gpkg"
    monkeypatch.setenv("SIMPUL_STORE", "/srv/node.gpkg")
    assert config.expand("${SIMPUL_STORE:-data/simpul.gpkg}") == "/srv/node.gpkg"
    with pytest.raises(PublishError, match="NOT_SET"):
        config.expand("${NOT_SET}")


def test_attribute_types_and_missing_values(node_dir: NodeDir, tmp_path: Path) -> None:
    point = {"type": "Point", "coordinates": [114.8, -3.4]}
    wita = "2024-01-05T10:00:00+08:00"
    rows = [
        {"n": 1, "x": 1.5, "ok": True, "tgl": "2024-01-05", "t": wita},
        {"n": None, "x": None, "ok": None, "tgl": None, "t": None},
    ]
    features = [{"type": "Feature", "properties": r, "geometry": point} for r in rows]
    path = tmp_path / "types.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))

    assert node_dir.simpul("publish", path, "--name", "types").code == 0

    store = GeoPackageStore(node_dir.store)
    layer = store.layer("types")
    assert {f.name: f.type for f in layer.fields} == {
        "n": FieldType.INTEGER,
        "x": FieldType.NUMBER,
        "ok": FieldType.BOOLEAN,
        "tgl": FieldType.DATE,
        "t": FieldType.DATETIME,
    }
    first, second = (r.properties for r in store.features(layer, Query()))
    assert (first["n"], first["x"], first["tgl"]) == (1, 1.5, "2024-01-05")
    assert str(first["t"]).startswith("2024-01-05T02:00:00")
    assert set(second.values()) == {None}
