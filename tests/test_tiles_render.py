"""Tiles rendered by the GeoPackage store, decoded and compared with the source."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import mapbox_vector_tile
import numpy as np
import pytest
import shapely
import shapely.affinity
from mapbox_vector_tile.Mapbox import vector_tile_pb2

from simpul import cli
from simpul.store.base import Layer, Query, Store
from simpul.store.gpkg_read import GeoPackageStore
from simpul.tiles import TileOptions
from simpul.tiles.render import render
from simpul.tiles.tilematrix import TileFrame, frame, tile_matrix_set

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
KELURAHAN = SHARED / "banjarbaru" / "kelurahan_banjarbaru.geojson"
KECAMATAN = SHARED / "kalsel" / "kecamatan_kalsel.geojson"
BATAS = SHARED / "banjarbaru" / "kelurahan_batas_kota.esri.json"  # dense outlines
CITY_CENTRE = (114.8205, -3.4430)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A GeoPackage store holding the kelurahan and kecamatan, published by CLI."""
    folder = tmp_path_factory.mktemp("tiles-store")
    config = folder / "pygeoapi-config.yml"
    config.write_text((Path(__file__).parents[1] / "pygeoapi-config.yml").read_text())
    layers = ((KELURAHAN, "kelurahan"), (KECAMATAN, "kecamatan"), (BATAS, "batas"))
    for path, name in layers:
        argv = ["publish", str(path), "--name", name, "--config", str(config)]
        assert cli.main(argv) == 0
    # A store of its own: the one publishing opened may predate the second layer.
    yield GeoPackageStore(folder / "data" / "simpul.gpkg")


def decode(tile: bytes) -> dict:
    """Return the one layer of a tile, coordinates in tile space (y down)."""
    layers = mapbox_vector_tile.decode(tile, default_options={"y_coord_down": True})
    assert len(layers) == 1
    return next(iter(layers.values()))


def tiles_over_city(tms_id: str) -> list[tuple[int, int, int]]:
    """Return z/x/y of tiles around the city centre, from whole-city to street."""
    tms = tile_matrix_set(tms_id)
    tiles = [tms.tile(*CITY_CENTRE, z) for z in (10, 13, 15)]
    return [(t.z, t.x, t.y) for t in tiles]


def source(store: Store, layer: Layer, area: TileFrame) -> dict[int, tuple]:
    """Return id -> (projected geometry, properties) of the layer's features."""
    rows = store.features(layer, Query(bbox=area.storage_bbox, limit=10_000))
    found = {}
    for row in rows:
        geom = shapely.transform(shapely.from_wkb(row.wkb), area.to_tile)
        found[row.id] = (geom, row.properties)
    return found


CASES = [
    (tms_id, name, z, x, y)
    for tms_id in ("WebMercatorQuad", "WorldCRS84Quad")
    for name in ("kelurahan", "kecamatan")
    for z, x, y in tiles_over_city(tms_id)
]


@pytest.mark.parametrize("tms_id,name,z,x,y", CASES)
def test_tile_holds_each_source_feature_once_with_its_attributes(
    store: Store, tms_id: str, name: str, z: int, x: int, y: int
) -> None:
    layer = store.layer(name)
    options = TileOptions(layer_name=name)
    area = frame(tms_id, z, x, y, options.extent, options.buffer)
    tile = store.tile(layer, tms_id, z, x, y, options)
    assert tile is not None
    decoded = decode(tile)
    expected = source(store, layer, area)

    ids = [f["id"] for f in decoded["features"]]
    assert len(ids) == len(set(ids)), "a feature appears twice"
    buffered = shapely.box(-64, -64, 4160, 4160)
    drawable = {
        fid
        for fid, (geom, _) in expected.items()
        if shapely.area(shapely.intersection(geom, buffered)) >= 8
    }
    assert drawable <= set(ids) <= set(expected)
    assert decoded["extent"] == 4096
    for feature in decoded["features"]:
        props = {k: v for k, v in expected[feature["id"]][1].items() if v is not None}
        assert feature["properties"] == props


@pytest.mark.parametrize("tms_id,name,z,x,y", CASES)
def test_vertices_lie_within_one_tile_unit_of_the_source(
    store: Store, tms_id: str, name: str, z: int, x: int, y: int
) -> None:
    layer = store.layer(name)
    options = TileOptions(layer_name=name)
    area = frame(tms_id, z, x, y, options.extent, options.buffer)
    expected = source(store, layer, area)
    tile = store.tile(layer, tms_id, z, x, y, options)
    assert tile is not None

    for feature in decode(tile)["features"]:
        boundary = shapely.boundary(expected[feature["id"]][0])
        coords = shapely.get_coordinates(shapely.geometry.shape(feature["geometry"]))
        # Vertices on the buffer's edge come from clipping, not from the source.
        inner = ~np.isin(coords, (-64.0, 4160.0)).any(axis=1)
        distance = shapely.distance(shapely.points(coords[inner]), boundary)
        assert distance.max(initial=0) <= 1.0


def test_tile_without_features_is_none(store: Store) -> None:
    layer = store.layer("kelurahan")
    # Tile 10/0/0 of WebMercatorQuad lies in the Arctic.
    assert store.tile(layer, "WebMercatorQuad", 10, 0, 0, TileOptions()) is None


def signed_area(ring: list[list[float]]) -> float:
    """Return twice the signed area of a ring by the surveyor's formula."""
    xy = np.asarray(ring, dtype=float)
    x, y = xy[:, 0], xy[:, 1]
    return float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y))


def donut_tile(ids: list, **options: object) -> bytes | None:
    """Render a square with a square hole in the middle of a zoom 14 tile."""
    tms = tile_matrix_set("WebMercatorQuad")
    tile = tms.tile(*CITY_CENTRE, 14)
    west, south, east, north = tms.bounds(tile)
    lon, lat, size = (west + east) / 2, (south + north) / 2, (east - west) / 4
    outer = shapely.box(lon - size, lat - size, lon + size, lat + size)
    hole = shapely.box(lon - size / 2, lat - size / 2, lon + size / 2, lat + size / 2)
    donut = shapely.Polygon(outer.exterior, [hole.exterior])
    area = frame("WebMercatorQuad", 14, tile.x, tile.y, 4096, 64)
    wkb = [shapely.to_wkb(donut)] * len(ids)
    names = {"name": ["donut"] * len(ids)}
    return render(area, TileOptions(**options), wkb, ids, names, {}, "fid")


def test_exterior_rings_are_clockwise_and_holes_the_other_way() -> None:
    tile = donut_tile([7])
    assert tile is not None
    feature = decode(tile)["features"][0]
    assert feature["geometry"]["type"] == "Polygon"
    exterior, hole = feature["geometry"]["coordinates"]
    # MVT 2.1, 4.3.4.4: positive area in tile space (y down) is clockwise.
    assert signed_area(exterior) > 0
    assert signed_area(hole) < 0


def test_ids_that_are_not_unsigned_integers_travel_as_a_property() -> None:
    tile = donut_tile([12, -3, "63.72.02.1003"])
    assert tile is not None
    features = decode(tile)["features"]
    assert features[0]["id"] == 12 and "fid" not in features[0]["properties"]
    assert features[1]["properties"]["fid"] == -3
    assert features[2]["properties"]["fid"] == "63.72.02.1003"
    # The decoder shows an absent id as 0: read the message itself.
    raw = vector_tile_pb2.tile.FromString(tile).layers[0].features
    assert [f.HasField("id") for f in raw] == [True, False, False]


def test_tileset_fields_cap_the_attributes(store: Store) -> None:
    layer = store.layer("kelurahan")
    options = TileOptions(fields=("nama",))
    z, x, y = tiles_over_city("WebMercatorQuad")[0]
    tile = store.tile(layer, "WebMercatorQuad", z, x, y, options)
    assert tile is not None
    assert {k for f in decode(tile)["features"] for k in f["properties"]} == {"nama"}


def vertices(tile: bytes) -> tuple[set[int], int]:
    """Return the feature ids of a tile and how many vertices they have."""
    features = decode(tile)["features"]
    shapes = [shapely.geometry.shape(f["geometry"]) for f in features]
    return {f["id"] for f in features}, int(shapely.get_num_coordinates(shapes).sum())


@pytest.mark.parametrize("z", [9, 10, 11, 12])
def test_tiles_are_generalised_to_their_zoom_and_keep_every_feature(
    store: Store, z: int
) -> None:
    layer = store.layer("batas")
    tile = tile_matrix_set("WebMercatorQuad").tile(*CITY_CENTRE, z)

    def render_with(tolerance: float) -> bytes:
        options = TileOptions(tolerance=tolerance, min_area=0, layer_name="batas")
        rendered = store.tile(layer, "WebMercatorQuad", z, tile.x, tile.y, options)
        assert rendered is not None
        return rendered

    exact_ids, exact_count = vertices(render_with(0.0))
    ids, count = vertices(render_with(TileOptions().tolerance))

    assert ids == exact_ids
    assert count < 0.6 * exact_count


def test_polygons_too_small_to_see_are_left_out_at_low_zoom() -> None:
    assert donut_tile([1], min_area=4.0) is not None
    assert donut_tile([1], min_area=10_000_000.0) is None


def test_small_polygons_match_the_source_whether_inside_or_crossing_the_edge() -> None:
    tms = tile_matrix_set("WebMercatorQuad")
    tile = tms.tile(*CITY_CENTRE, 15)
    west, south, east, north = tms.bounds(tile)
    rng = np.random.default_rng(63)
    centres = np.column_stack(
        [
            rng.uniform(west - 0.0005, east + 0.0005, 300),
            rng.uniform(south - 0.0005, north + 0.0005, 300),
        ]
    )
    squares = [
        shapely.affinity.rotate(shapely.box(x, y, x + 0.0002, y + 0.0001), angle)
        for (x, y), angle in zip(centres, rng.uniform(0, 90, 300), strict=True)
    ]
    area = frame("WebMercatorQuad", 15, tile.x, tile.y, 4096, 64)
    ids = list(range(1, 301))
    tile_bytes = render(
        area, TileOptions(), [shapely.to_wkb(g) for g in squares], ids, {}, {}, "fid"
    )
    assert tile_bytes is not None
    projected = {
        i: shapely.transform(g, area.to_tile) for i, g in zip(ids, squares, strict=True)
    }
    buffered = shapely.box(-64, -64, 4160, 4160)
    drawable = {
        i for i, g in projected.items() if shapely.intersection(g, buffered).area >= 8
    }
    features = decode(tile_bytes)["features"]
    assert drawable <= {f["id"] for f in features} <= set(ids)
    for feature in features:
        (ring,) = feature["geometry"]["coordinates"]
        assert signed_area(ring) > 0
        coords = np.asarray(ring, dtype=float)
        inner = ~np.isin(coords, (-64.0, 4160.0)).any(axis=1)
        boundary = shapely.boundary(projected[feature["id"]])
        assert shapely.distance(shapely.points(coords[inner]), boundary).max() <= 1.0
