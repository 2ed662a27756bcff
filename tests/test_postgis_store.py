"""The PostGIS store itself: its roles, its tiles and its atomic swap."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import mapbox_vector_tile
import morecantile
import psycopg
import pytest
import shapely
from shapely.geometry import shape

from simpul.store.base import FieldType, Layer, LayerData
from simpul.store.postgis import PostGISStore, PostGISWriter
from simpul.tiles import TileOptions
from simpul.tiles.fromrows import tile_from_rows

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
KELURAHAN = SHARED / "banjarbaru" / "kelurahan_banjarbaru.geojson"
CENTRE = (114.8205, -3.4430)


def kelurahan(suffix: str = "") -> LayerData:
    """Return the kelurahan of Banjarbaru as a layer, names suffixed."""
    features = json.loads(KELURAHAN.read_text())["features"]
    return LayerData(
        geometry_type="Polygon",
        wkb=[shapely.to_wkb(shape(f["geometry"])) for f in features],
        columns={"nama": [f["properties"]["nama"] + suffix for f in features]},
        types={"nama": FieldType.STRING},
    )


@pytest.fixture
def published(postgis_cluster, postgis_database) -> Iterator[tuple[str, str]]:
    """Publish the kelurahan; return the (reader, publisher) URLs."""
    reader = postgis_cluster.url("simpul_reader", postgis_database)
    publisher = postgis_cluster.url("simpul_publisher", postgis_database)
    PostGISWriter(publisher, grace_seconds=0).replace_layer("kel", kelurahan())
    yield reader, publisher


@pytest.mark.parametrize(
    "statement",
    [
        "CREATE TABLE x (a int)",
        "DELETE FROM simpul_layers",
        "SET default_transaction_read_only = off; DELETE FROM simpul_layers",
        "SET default_transaction_read_only = off; CREATE TEMP TABLE x (a int)",
    ],
)
def test_the_serving_role_can_only_read(published, statement):
    with psycopg.connect(published[0], autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM simpul_layers").fetchone() == (1,)
        with pytest.raises(psycopg.Error):
            conn.execute(statement)


def test_replacing_swaps_the_table_and_drops_the_old(published):
    reader, publisher = published
    store = PostGISStore(reader)
    old = store.layer("kel")

    new = PostGISWriter(publisher, grace_seconds=0).replace_layer("kel", kelurahan("!"))

    assert new.table != old.table
    assert store.layer("kel").table == new.table
    rows = list(store.features(old, store_query()))  # a request that began before
    assert rows and all(r.properties["nama"].endswith("!") for r in rows)
    with psycopg.connect(publisher) as conn:
        tables = conn.execute(
            "SELECT tablename FROM pg_tables WHERE tablename LIKE 'kel%'"
        )
        assert [t for (t,) in tables] == [new.table]


def test_a_name_of_the_longest_allowed_length_publishes_and_republishes(published):
    reader, publisher = published
    name = "ADMINISTRASI_KELURAHAN_KOTA_BANJARBARU_KALIMANTAN_SELATAN_AR_5K"
    assert len(name) == 63
    writer = PostGISWriter(publisher, grace_seconds=0)

    writer.replace_layer(name, kelurahan())
    writer.replace_layer(name, kelurahan("!"))

    layer = PostGISStore(reader).layer(name)
    assert layer.count == 20
    rows = list(PostGISStore(reader).features(layer, store_query()))
    assert all(r.properties["nama"].endswith("!") for r in rows)


def store_query():
    """Return a query for every feature."""
    from simpul.store.base import Query

    return Query(limit=100)


@pytest.mark.parametrize("tms_id", ["WebMercatorQuad", "WorldCRS84Quad"])
@pytest.mark.parametrize("z", [12, 14, 16])
def test_sql_tiles_hold_what_python_tiles_hold(published, tms_id, z):
    store = PostGISStore(published[0])
    layer: Layer = store.layer("kel")
    tile = morecantile.tms.get(tms_id).tile(*CENTRE, z)
    options = TileOptions()

    by_sql = store.tile(layer, tms_id, tile.z, tile.x, tile.y, options)
    by_python = tile_from_rows(store, layer, tms_id, tile.z, tile.x, tile.y, options)

    assert by_sql is not None and by_python is not None
    assert _features(by_sql) == _features(by_python)


def test_a_tile_without_features_is_none(published):
    store = PostGISStore(published[0])

    assert (
        store.tile(store.layer("kel"), "WebMercatorQuad", 12, 0, 0, TileOptions())
        is None
    )


def _features(tile: bytes) -> list[tuple[int, dict]]:
    decoded = mapbox_vector_tile.decode(tile)["default"]["features"]
    return sorted((f["id"], f["properties"]) for f in decoded)
