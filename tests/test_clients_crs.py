"""OGC API - Features Part 2: output CRS, bbox-crs and the CRS metadata.

Expected coordinates are the source file's reprojected with pyproj, in the axis
order the CRS authority defines (EPSG:4326, 4755 and 9470 are latitude first):
https://docs.ogc.org/is/18-058r1/18-058r1.html#crs-overview
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import requests
import shapely
from pyproj import CRS, Transformer

sys.path.insert(0, str(Path(__file__).parent))
from clients_fixtures import (  # noqa: E402
    CRS84,
    DEGREES,
    EPSG,
    KELURAHAN,
    METRES,
    OUTPUT_CRS,
    SourceFeature,
    from_geojson,
    needs_data,
    published_node,
    read_source,
    same_shape,
)

pytestmark = needs_data

#: Each output CRS, and what its first axis is.
CRSS = {
    CRS84: "lon",
    f"{EPSG}4326": "lat",
    f"{EPSG}3857": "easting",
    f"{EPSG}32750": "easting",
    f"{EPSG}23880": "easting",
    f"{EPSG}4755": "lat",
    f"{EPSG}9470": "lat",
    f"{EPSG}9490": "easting",
}


@pytest.fixture(scope="module")
def items(module_backend: Any, start_module_node: Any) -> str:
    """Return the items URL of the kelurahan on a node over the store."""
    node = published_node(start_module_node, module_backend, [KELURAHAN])
    return f"{node.url}/collections/{KELURAHAN.name}/items"


@pytest.fixture(scope="module")
def source() -> dict[Any, SourceFeature]:
    """The kelurahan of Banjarbaru, read from the source file."""
    return read_source(KELURAHAN)


def short(uri: str) -> str:
    """Return the pyproj name of an OGC CRS URI."""
    return "OGC:CRS84" if uri == CRS84 else f"EPSG:{uri.rsplit('/', 1)[1]}"


@functools.lru_cache
def to_crs(uri: str) -> Transformer:
    """Return the transformer from the storage CRS to *uri*, in its axis order."""
    return Transformer.from_crs("OGC:CRS84", short(uri), always_xy=False)


def tolerance(uri: str) -> float:
    """Return the coordinate tolerance in the units of *uri*."""
    return DEGREES if CRS.from_user_input(short(uri)).is_geographic else METRES


def reproject(geometry: Any, uri: str) -> Any:
    """Return *geometry* reprojected from CRS84 into *uri*'s axis order."""
    transformer = to_crs(uri)
    return shapely.transform(
        geometry,
        lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])),
    )


def get(url: str, **params: Any) -> requests.Response:
    """GET *url* and fail with the body unless it answers 200."""
    response = requests.get(url, params=params, timeout=30)
    assert response.status_code == 200, response.text
    return response


@pytest.mark.parametrize("uri", list(CRSS), ids=short)
def test_items_in_each_crs_match_the_reprojected_source(
    items: str, source: dict, uri: str
) -> None:
    response = get(items, crs=uri, limit=100)

    assert response.headers["Content-Crs"] == f"<{uri}>"
    features = [from_geojson(f) for f in response.json()["features"]]
    assert len(features) == len(source)
    for feature in features:
        want = reproject(source[feature.properties["kode"]].geometry, uri)
        assert same_shape(feature.geometry, want, tolerance(uri)), feature.id


@pytest.mark.parametrize("uri", list(CRSS), ids=short)
def test_one_item_in_each_crs_matches_the_reprojected_source(
    items: str, source: dict, uri: str
) -> None:
    response = get(f"{items}/5", crs=uri)

    assert response.headers["Content-Crs"] == f"<{uri}>"
    feature = from_geojson(response.json())
    want = reproject(source[feature.properties["kode"]].geometry, uri)
    assert same_shape(feature.geometry, want, tolerance(uri))


@pytest.mark.parametrize("uri", list(CRSS), ids=short)
def test_first_axis_follows_the_crs_authority(items: str, uri: str) -> None:
    feature = get(f"{items}/1", crs=uri).json()

    first, second = feature["geometry"]["coordinates"][0][0]
    axis = {"lon": (114, 115), "lat": (-4, -3), "easting": (1e5, 1.3e7)}
    low, high = axis[CRSS[uri]]
    assert low < first < high


def test_default_output_is_crs84_and_says_so(items: str, source: dict) -> None:
    response = get(items, limit=100)

    assert response.headers["Content-Crs"] == f"<{CRS84}>"
    features = [from_geojson(f) for f in response.json()["features"]]
    for feature in features:
        want = source[feature.properties["kode"]].geometry
        assert same_shape(feature.geometry, want)


@pytest.mark.parametrize("uri", list(CRSS), ids=short)
def test_bbox_crs_selects_the_kelurahan_around_a_point(
    items: str, source: dict, uri: str
) -> None:
    # A box of a few metres around the centre of the largest circle inside each
    # of three kelurahan: each box lies inside exactly one of them.
    for kode in sorted(source)[:: len(source) // 3][:3]:
        centre = shapely.maximum_inscribed_circle(source[kode].geometry)
        x, y = to_crs(uri).transform(*centre.coords[0])
        half = 5e-5 if CRS.from_user_input(short(uri)).is_geographic else 5.0
        bbox = f"{x - half},{y - half},{x + half},{y + half}"

        body = get(items, bbox=bbox, **{"bbox-crs": uri}).json()

        assert [f["properties"]["kode"] for f in body["features"]] == [kode]


def test_collection_metadata_lists_storage_crs_and_output_crs(items: str) -> None:
    collection = get(items.rsplit("/", 1)[0]).json()

    assert collection["storageCrs"] == CRS84
    assert collection["crs"] == OUTPUT_CRS


@pytest.mark.parametrize("parameter", ["crs", "bbox-crs"])
@pytest.mark.parametrize(
    "uri", [f"{EPSG}9999", f"{EPSG}2154", "EPSG:4326", "nonsense"], ids=str
)
def test_an_unknown_crs_is_a_400_with_a_useful_message(
    items: str, parameter: str, uri: str
) -> None:
    params = {parameter: uri, "bbox": "114.7,-3.5,114.8,-3.4"}

    response = requests.get(items, params=params, timeout=30)

    assert response.status_code == 400, response.text
    body = response.json()
    assert body["code"] and uri in body["description"]
