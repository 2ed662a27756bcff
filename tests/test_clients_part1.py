"""OGC API - Features Part 1 as clients use it, checked against the source file.

The collection is the Banjarbaru kelurahan with a date each and two features
without geometry (derived from the real file); every expectation is computed
from that file, read independently.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
import requests
import shapely

sys.path.insert(0, str(Path(__file__).parent))
from clients_fixtures import (  # noqa: E402
    DATE,
    ESRI,
    Dataset,
    SourceFeature,
    from_geojson,
    needs_data,
    published_node,
    read_source,
    same_shape,
    temporal_dataset,
)

pytestmark = needs_data

GEOJSON = "application/geo+json"
BOX = (114.78, -3.48, 114.86, -3.42)


@pytest.fixture(scope="module")
def temporal(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    """The kelurahan with a date column and two features without geometry."""
    return temporal_dataset(tmp_path_factory.mktemp("temporal"))


@pytest.fixture(scope="module")
def node_url(module_backend: Any, start_module_node: Any, temporal: Dataset) -> str:
    """Return the URL of a node serving the temporal kelurahan and the Esri file."""
    return published_node(start_module_node, module_backend, [temporal, ESRI]).url


@pytest.fixture(scope="module")
def items(node_url: str, temporal: Dataset) -> str:
    """Return the items URL of the temporal kelurahan."""
    return f"{node_url}/collections/{temporal.name}/items"


@pytest.fixture(scope="module")
def source(temporal: Dataset) -> dict[Any, SourceFeature]:
    """The temporal kelurahan, read from the derived file."""
    return read_source(temporal)


def get(url: str, **params: Any) -> dict[str, Any]:
    """GET *url* with *params*; return the JSON body of a 200 answer."""
    response = requests.get(url, params=params, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def kodes(body: dict[str, Any]) -> list[str]:
    """Return the kode of every feature of a FeatureCollection, in order."""
    return [f["properties"]["kode"] for f in body["features"]]


def selected(source: dict[Any, SourceFeature], keep: Any) -> list[str]:
    """Return the kode of the source features *keep* accepts, in file order."""
    return [k for k, f in source.items() if keep(f)]


# Formats -------------------------------------------------------------------------


@pytest.mark.parametrize("accept", [None, "*/*", "application/*"])
def test_geojson_is_the_default_without_a_specific_accept(
    items: str, accept: str | None
) -> None:
    headers = {"Accept": accept} if accept else {}
    session = requests.Session()
    if accept is None:
        session.headers.pop("Accept")

    response = session.get(items, headers=headers, timeout=30)

    assert response.status_code == 200
    assert response.headers["Content-Type"] == GEOJSON
    assert response.json()["type"] == "FeatureCollection"


@pytest.mark.parametrize(
    ("f", "accept", "media_type"),
    [
        ("json", GEOJSON, GEOJSON),
        ("json", "application/json", GEOJSON),
        ("html", "text/html", "text/html"),
        ("jsonld", "application/ld+json", "application/ld+json"),
    ],
)
def test_f_and_accept_choose_the_same_format(
    items: str, f: str, accept: str, media_type: str
) -> None:
    by_f = requests.get(items, params={"f": f, "limit": 3}, timeout=30)
    by_accept = requests.get(
        items, params={"limit": 3}, headers={"Accept": accept}, timeout=30
    )

    assert by_f.status_code == by_accept.status_code == 200
    assert by_f.headers["Content-Type"].split(";")[0] == media_type
    assert by_accept.headers["Content-Type"] == by_f.headers["Content-Type"]
    if f != "html":
        assert kodes_or_ids(by_f.json()) == kodes_or_ids(by_accept.json())


def kodes_or_ids(body: dict[str, Any]) -> list[Any]:
    """Return the features' ids, whatever the JSON flavour."""
    return [f.get("id") or f.get("@id") for f in body.get("features", [])]


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("text/html;q=0.5, application/geo+json", GEOJSON),
        ("application/geo+json, text/html;q=0.5", GEOJSON),
        ("application/json;q=0.4, text/html", "text/html"),
        ("text/html; q=0.9, application/json", GEOJSON),
    ],
)
def test_accept_quality_values_are_honoured(
    items: str, accept: str, media_type: str
) -> None:
    response = requests.get(items, headers={"Accept": accept}, timeout=30)

    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == media_type


@pytest.mark.parametrize("accept", ["image/png", "application/xml"])
def test_features_are_never_labelled_with_a_type_they_are_not(
    items: str, accept: str
) -> None:
    response = requests.get(items, headers={"Accept": accept}, timeout=30)

    assert response.status_code in (200, 406)
    if response.status_code == 200:
        assert response.headers["Content-Type"] == GEOJSON
        assert response.json()["type"] == "FeatureCollection"


@pytest.mark.parametrize("f", ["xml", "geojson", "JSON", "png"])
def test_an_unknown_f_is_a_400(items: str, f: str) -> None:
    response = requests.get(items, params={"f": f}, timeout=30)

    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "InvalidParameterValue"


def test_html_lists_the_features_by_name(items: str, source: dict) -> None:
    response = requests.get(items, params={"f": "html", "limit": 100}, timeout=30)

    assert response.status_code == 200
    for feature in source.values():
        assert feature.properties["nama"] in response.text


# Query parameters ------------------------------------------------------------------


def test_a_large_limit_is_clamped_to_the_published_maximum(
    node_url: str, items: str, source: dict
) -> None:
    document = get(f"{node_url}/openapi", f="json")
    path = document["paths"][items.removeprefix(node_url)]["get"]
    limit = next(p for p in path["parameters"] if p.get("name") == "limit")
    maximum = limit["schema"]["maximum"]

    body = get(items, limit=maximum * 10)

    assert body["numberReturned"] == len(source) <= maximum


def test_bbox_returns_the_features_whose_geometry_intersects(
    items: str, source: dict
) -> None:
    body = get(items, bbox=",".join(map(str, BOX)), limit=100)

    box = shapely.box(*BOX)
    want = selected(
        source, lambda f: f.geometry is not None and f.geometry.intersects(box)
    )
    assert kodes(body) == want
    assert body["numberMatched"] == len(want)


DATETIMES = {
    "2021-08-14": lambda d: d == "2021-08-14",
    "2021-08-14T00:00:00Z": lambda d: d == "2021-08-14",
    "2021-03-01/2021-12-31": lambda d: "2021-03-01" <= d <= "2021-12-31",
    "2021-03-01T00:00:00Z/2021-12-31T23:59:59Z": lambda d: (
        "2021-03" <= d <= "2021-12-31"
    ),
    "../2021-06-30": lambda d: d <= "2021-06-30",
    "/2021-06-30": lambda d: d <= "2021-06-30",
    "2022-01-01/..": lambda d: d >= "2022-01-01",
    "2022-01-01/": lambda d: d >= "2022-01-01",
    "../..": lambda d: True,
    "2030-01-01": lambda d: False,
}


@pytest.mark.parametrize("datetime", list(DATETIMES))
def test_datetime_selects_on_the_declared_temporal_property(
    items: str, source: dict, datetime: str
) -> None:
    body = get(items, datetime=datetime, limit=100)

    assert kodes(body) == selected(
        source, lambda f: DATETIMES[datetime](f.properties[DATE])
    )


@pytest.mark.parametrize(
    ("params", "keep"),
    [
        ({"tingkat": "kelurahan"}, lambda p: p["tingkat"] == "kelurahan"),
        ({"nama": "Komet"}, lambda p: p["nama"] == "Komet"),
        ({"nama": "Tidak Ada"}, lambda p: False),
        (
            {"tingkat": "kelurahan", "nama": "Loktabat Utara"},
            lambda p: p["nama"] == "Loktabat Utara",
        ),
    ],
)
def test_property_filters_select_equal_values(
    items: str, source: dict, params: dict, keep: Any
) -> None:
    body = get(items, limit=100, **params)

    assert kodes(body) == selected(source, lambda f: keep(f.properties))


def test_properties_returns_only_the_named_attributes(items: str) -> None:
    body = get(items, properties="kode,nama", limit=100)

    assert {tuple(f["properties"]) for f in body["features"]} == {("kode", "nama")}


@pytest.mark.parametrize(("value", "skipped"), [("true", True), ("false", False)])
def test_skip_geometry(items: str, source: dict, value: str, skipped: bool) -> None:
    body = get(items, skipGeometry=value, limit=100)

    nulls = [f["geometry"] is None for f in body["features"]]
    assert nulls == [skipped or f.geometry is None for f in source.values()]


@pytest.mark.parametrize(
    ("sortby", "key", "reverse"),
    [
        ("nama", "nama", False),
        ("+nama", "nama", False),
        ("-nama", "nama", True),
        (f"-{DATE}", DATE, True),
        ("lat", "lat", False),
    ],
)
def test_sortby_orders_every_feature(
    items: str, source: dict, sortby: str, key: str, reverse: bool
) -> None:
    body = get(items, sortby=sortby, limit=100)

    values = [f["properties"][key] for f in body["features"]]
    want = sorted((f.properties[key] for f in source.values()), reverse=reverse)
    assert values == want


# Items and null geometries ---------------------------------------------------------


def test_each_item_by_id_matches_the_source(items: str, source: dict) -> None:
    ids = [f["id"] for f in get(items, limit=100, skipGeometry="true")["features"]]

    for fid in ids:
        feature = from_geojson(get(f"{items}/{fid}"))
        want = source[feature.properties["kode"]]
        assert feature.id == fid
        assert feature.properties == want.properties
        assert same_shape(feature.geometry, want.geometry)


@pytest.mark.parametrize("fid", ["999999", "0", "-1", "abc", "1.5"])
def test_an_absent_item_is_a_404_in_ogc_form(items: str, fid: str) -> None:
    response = requests.get(f"{items}/{fid}", timeout=30)

    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "NotFound" and body["description"]


def test_features_without_geometry_are_served_with_null_geometry(
    items: str, source: dict
) -> None:
    body = get(items, limit=100)

    nulls = [f["properties"]["kode"] for f in body["features"] if f["geometry"] is None]
    assert nulls == selected(source, lambda f: f.geometry is None)
    assert len(nulls) == 2
    for kode in nulls:
        assert (
            get(items, kode=kode)["features"][0]["properties"]
            == source[kode].properties
        )
