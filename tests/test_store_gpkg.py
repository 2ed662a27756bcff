"""Both stores answer filters exactly as the source data says.

Every case runs the store's SQL on the real kecamatan of Kalimantan Selatan and
compares the ids with the same question asked of the source file in Python.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import shapely
from pygeofilter.parsers.cql2_json import parse as parse_json
from pygeofilter.parsers.cql2_text import parse as parse_text
from shapely.geometry import shape

from simpul.store.base import FieldType, LayerData, Query, QueryError
from simpul.store.gpkg_read import GeoPackageStore
from simpul.store.gpkg_write import GeoPackageWriter
from simpul.store.postgis import PostGISStore, PostGISWriter

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
KECAMATAN = SHARED / "kalsel" / "kecamatan_kalsel.geojson"
CENTRE = shapely.Point(114.8205, -3.4430)  # Banjarbaru city centre
DAY0 = dt.date(2020, 1, 1)


@pytest.fixture(scope="module")
def source() -> list[dict]:
    """The source features, each with a derived date so time filters have data."""
    features = json.loads(KECAMATAN.read_text())["features"]
    for i, f in enumerate(features):
        f["properties"]["tgl"] = (DAY0 + dt.timedelta(days=7 * i)).isoformat()
        f["shape"] = shape(f["geometry"])
    return features


@pytest.fixture(scope="module")
def store(source: list[dict], tmp_path_factory: pytest.TempPathFactory, module_backend):
    """A store holding the kecamatan layer; returns (store, layer)."""
    path = tmp_path_factory.mktemp("store") / "simpul.gpkg"
    names = ["kode", "nama", "tingkat", "lat", "lng", "tgl"]
    types = dict.fromkeys(names, FieldType.STRING)
    types.update(lat=FieldType.NUMBER, lng=FieldType.NUMBER, tgl=FieldType.DATE)
    data = LayerData(
        geometry_type="MultiPolygon",
        wkb=[shapely.to_wkb(_multi(f["shape"])) for f in source],
        columns={
            n: [
                dt.date.fromisoformat(f["properties"][n])
                if n == "tgl"
                else f["properties"][n]
                for f in source
            ]
            for n in names
        },
        types=types,
    )
    if module_backend.publish_url:
        PostGISWriter(module_backend.publish_url, grace_seconds=0).replace_layer(
            "kecamatan", data
        )
        store = PostGISStore(module_backend.serve_url)
        return store, store.layer("kecamatan")
    GeoPackageWriter(path, grace_seconds=0).replace_layer("kecamatan", data)
    store = GeoPackageStore(path)
    return store, store.layer("kecamatan")


def _multi(geom):
    return shapely.MultiPolygon([geom]) if geom.geom_type == "Polygon" else geom


def _ids(store, query: Query) -> list[int]:
    st, layer = store
    query.limit = 1000
    query.skip_geometry = True
    return [row.id for row in st.features(layer, query)]


def _expected(source: list[dict], keep) -> list[int]:
    return [i + 1 for i, f in enumerate(source) if keep(f["properties"], f["shape"])]


BOX = (114.70, -3.50, 114.90, -3.35)

TEXT_CASES = {
    "nama = 'Cempaka'": lambda p, g: p["nama"] == "Cempaka",
    "nama <> 'Cempaka'": lambda p, g: p["nama"] != "Cempaka",
    "nama LIKE 'Banjar%'": lambda p, g: p["nama"].startswith("Banjar"),
    "nama LIKE 'banjar%'": lambda p, g: p["nama"].startswith("banjar"),
    "CASEI(nama) LIKE CASEI('banjar%')": lambda p, g: (
        p["nama"].lower().startswith("banjar")
    ),
    "nama IN ('Cempaka', 'Liang Anggang')": lambda p, g: (
        p["nama"] in ("Cempaka", "Liang Anggang")
    ),
    "nama NOT IN ('Cempaka', 'Liang Anggang')": lambda p, g: (
        p["nama"] not in ("Cempaka", "Liang Anggang")
    ),
    "kode BETWEEN '63.72.00' AND '63.72.99'": lambda p, g: (
        "63.72.00" <= p["kode"] <= "63.72.99"
    ),
    "lat < -3.5 AND lng > 115.0": lambda p, g: p["lat"] < -3.5 and p["lng"] > 115.0,
    "lat >= -3.0 OR nama = 'Cempaka'": lambda p, g: (
        p["lat"] >= -3.0 or p["nama"] == "Cempaka"
    ),
    "NOT (lat >= -3.0)": lambda p, g: not p["lat"] >= -3.0,
    "nama IS NULL": lambda p, g: p["nama"] is None,
    "nama IS NOT NULL": lambda p, g: p["nama"] is not None,
    "tgl > DATE('2021-06-01')": lambda p, g: p["tgl"] > "2021-06-01",
    "S_INTERSECTS(geometry, POINT(114.8205 -3.4430))": lambda p, g: g.intersects(
        CENTRE
    ),
    "S_WITHIN(geometry, POLYGON((114.7 -3.5, 114.9 -3.5, 114.9 -3.35, "
    "114.7 -3.35, 114.7 -3.5)))": lambda p, g: g.within(shapely.box(*BOX)),
    "S_DISJOINT(geometry, POLYGON((114.7 -3.5, 114.9 -3.5, 114.9 -3.35, "
    "114.7 -3.35, 114.7 -3.5)))": lambda p, g: g.disjoint(shapely.box(*BOX)),
    "S_CONTAINS(geometry, POINT(114.8205 -3.4430))": lambda p, g: g.contains(CENTRE),
    "BBOX(geometry, 114.70, -3.50, 114.90, -3.35)": lambda p, g: g.intersects(
        shapely.box(*BOX)
    ),
}


@pytest.mark.parametrize("text", list(TEXT_CASES))
def test_cql2_text_filter_matches_source(store, source, text):
    expected = _expected(source, TEXT_CASES[text])
    assert _ids(store, Query(filter=parse_text(text))) == expected
    assert store[0].count(store[1], Query(filter=parse_text(text))) == len(expected)


def test_cql2_json_bbox_is_read_in_minx_miny_maxx_maxy_order(store, source):
    node = parse_json(
        {"op": "s_intersects", "args": [{"property": "geometry"}, {"bbox": list(BOX)}]}
    )
    expected = _expected(source, lambda p, g: g.intersects(shapely.box(*BOX)))
    assert expected and _ids(store, Query(filter=node)) == expected


def test_cql2_json_temporal_interval(store, source):
    node = parse_json(
        {
            "op": "t_intersects",
            "args": [{"property": "tgl"}, {"interval": ["2020-03-01", "2020-06-30"]}],
        }
    )
    expected = _expected(source, lambda p, g: "2020-03-01" <= p["tgl"] <= "2020-06-30")
    assert expected and _ids(store, Query(filter=node)) == expected


@pytest.mark.parametrize(
    "value, keep",
    [
        ("2020-03-01/2020-06-30", lambda t: "2020-03-01" <= t <= "2020-06-30"),
        ("2022-01-01/..", lambda t: t >= "2022-01-01"),
        ("../2020-02-01", lambda t: t <= "2020-02-01"),
        ("2020-01-15", lambda t: t == "2020-01-15"),
        ("2020-01-15T10:00:00Z", lambda t: t == "2020-01-15"),
    ],
)
def test_datetime_parameter_on_a_date_property(store, source, value, keep):
    query = Query(datetime=value, time_field="tgl")
    assert _ids(store, query) == _expected(source, lambda p, g: keep(p["tgl"]))


def test_bbox_is_exact_not_just_envelopes(store, source):
    # A small box at the city centre: envelopes of many kecamatan meet it, few do.
    box = (114.815, -3.448, 114.825, -3.438)
    expected = _expected(source, lambda p, g: g.intersects(shapely.box(*box)))
    assert _ids(store, Query(bbox=box)) == expected


def test_bbox_with_heights_is_read_as_minx_miny_minz_maxx_maxy_maxz(store, source):
    box = (114.815, -3.448, 114.825, -3.438)
    expected = _expected(source, lambda p, g: g.intersects(shapely.box(*box)))
    with_heights = (box[0], box[1], -100.0, box[2], box[3], 3000.0)
    assert _ids(store, Query(bbox=with_heights)) == expected


def test_free_text_q_matches_any_term_case_insensitively(store, source):
    expected = _expected(
        source,
        lambda p, g: any(t in p["nama"].lower() for t in ("ulin", "cempaka")),
    )
    assert _ids(store, Query(q=["ULIN", "cempaka"])) == expected


def test_sortby_then_key_gives_a_stable_order(store, source):
    got = _ids(store, Query(sortby=[("tingkat", True), ("nama", False)]))
    order = sorted(
        range(len(source)),
        key=lambda i: (source[i]["properties"]["nama"], -i),
        reverse=True,
    )
    assert got == [i + 1 for i in order]


def test_paging_by_offset_returns_every_feature_once(store, source):
    st, layer = store
    seen = []
    for offset in range(0, len(source), 25):
        page = Query(offset=offset, limit=25, skip_geometry=True)
        seen += [row.id for row in st.features(layer, page)]
    assert seen == list(range(1, len(source) + 1))


@pytest.mark.parametrize(
    "text, message",
    [
        ("nope = 1", "unknown property"),
        ("ACCENTI(nama) = ACCENTI('x')", "function not supported"),
    ],
)
def test_unanswerable_filters_raise_query_errors(store, text, message):
    with pytest.raises(QueryError, match=message):
        _ids(store, Query(filter=parse_text(text)))


def test_equality_property_filter_checks_the_type(store):
    with pytest.raises(QueryError, match="number"):
        _ids(store, Query(equals=[("lat", "north")]))


def test_republish_swaps_the_table_and_drops_the_old_one(store, source, tmp_path):
    path = tmp_path / "simpul.gpkg"
    writer = GeoPackageWriter(path, grace_seconds=0)
    data = LayerData(
        "Point", [shapely.to_wkb(CENTRE)], {"n": ["a"]}, {"n": FieldType.STRING}
    )
    first = writer.replace_layer("titik", data)
    second = writer.replace_layer("titik", data)
    assert first.table != second.table
    reader = GeoPackageStore(path)
    assert reader.layer("titik").table == second.table
    tables = {
        r[0]
        for r in reader.connection().execute("SELECT table_name FROM gpkg_contents")
    }
    assert tables == {second.table}
