"""OGC API - Features answers the same from either store, published by the CLI.

The kelurahan of Banjarbaru are published with `simpul publish` into the store
of the node (GeoPackage, or PostGIS through the publishing role) and served by
the node (from PostGIS through the read-only role); every expectation is
computed from the source file.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
import shapely
from shapely.geometry import shape

from simpul import cli

SOURCE = Path(__file__).resolve().parents[2] / "shared" / "data" / "banjarbaru"
KELURAHAN = SOURCE / "kelurahan_banjarbaru.geojson"
NAME = "KELURAHAN_AR_25K"
DAY0 = dt.date(2020, 1, 1)
BOX = (114.75, -3.50, 114.85, -3.40)


@pytest.fixture(scope="module")
def source() -> list[dict]:
    """The source features, with a date, a count and a flag added to each."""
    features = json.loads(KELURAHAN.read_text())["features"]
    for i, f in enumerate(features):
        f["id"] = i + 1
        f["properties"]["tgl"] = (DAY0 + dt.timedelta(days=30 * i)).isoformat()
        f["properties"]["rumah"] = 10 * i
        f["properties"]["aktif"] = i % 3 == 0
    return features


def serve(backend: Any, start: Any, source: list[dict], folder: Path, edit=None) -> str:
    """Publish the source with `simpul publish` on a new node; return its URL."""
    data = folder / "kelurahan.geojson"
    data.write_text(json.dumps({"type": "FeatureCollection", "features": source}))
    node = start(edit, env=backend.node_env)
    with pytest.MonkeyPatch.context() as env:
        env.delenv("SIMPUL_STORE", raising=False)
        for key, value in backend.publish_env.items():
            env.setenv(key, value)
        argv = ["publish", str(data), "--name", NAME, "--config", str(node.config)]
        assert cli.main(argv) == 0

    collection = f"{node.url}/collections/{NAME}"
    deadline = time.monotonic() + 10
    while requests.get(collection, timeout=5).status_code != 200:
        assert time.monotonic() < deadline, "the collection was not served"
        time.sleep(0.1)
    return collection


@pytest.fixture(scope="module")
def url(module_backend, start_module_node, source, tmp_path_factory) -> str:
    """Return the collection URL of the kelurahan on a node over the store."""
    folder = tmp_path_factory.mktemp("source")
    return serve(module_backend, start_module_node, source, folder)


def items(url: str, **params: Any) -> dict:
    """GET the items with *params* and return the checked JSON body."""
    response = requests.get(f"{url}/items", params=params, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def ids(body: dict) -> list[int]:
    """Return the feature ids of a FeatureCollection, in order."""
    return [f["id"] for f in body["features"]]


def expected(source: list[dict], keep) -> list[int]:
    """Return the ids of the source features *keep* accepts, in id order."""
    return [f["id"] for f in source if keep(f["properties"], shape(f["geometry"]))]


def test_first_page_counts_every_feature(url, source):
    body = items(url)

    assert body["numberMatched"] == len(source)
    assert ids(body) == list(range(1, 11))
    assert "numberMatchedEstimated" not in body
    assert "next" in {link["rel"] for link in body["links"]}


def test_next_links_page_through_every_feature_once(url, source):
    seen, link = [], f"{url}/items?limit=7"
    while link:
        body = requests.get(link, timeout=10).json()
        seen += ids(body)
        link = next((k["href"] for k in body["links"] if k["rel"] == "next"), None)
        if link:  # the node advertises its configured public URL
            parts = urlsplit(link)
            link = f"{url.split('/collections')[0]}{parts.path}?{parts.query}"

    assert seen == [f["id"] for f in source]


def test_bbox_selects_exactly(url, source):
    body = items(url, bbox=",".join(map(str, BOX)), limit=100)

    box = shapely.box(*BOX)
    assert ids(body) == expected(source, lambda p, g: g.intersects(box))
    assert body["numberMatched"] == len(ids(body))


CQL2 = {
    "nama LIKE 'Guntung%'": lambda p, g: p["nama"].startswith("Guntung"),
    "rumah > 100 AND aktif = true": lambda p, g: p["rumah"] > 100 and p["aktif"],
    "rumah BETWEEN 30 AND 90": lambda p, g: 30 <= p["rumah"] <= 90,
    "nama IN ('Komet', 'Palam')": lambda p, g: p["nama"] in ("Komet", "Palam"),
    "tgl > DATE('2020-09-01')": lambda p, g: p["tgl"] > "2020-09-01",
    "S_INTERSECTS(geometry, POINT(114.8205 -3.4430))": lambda p, g: g.intersects(
        shapely.Point(114.8205, -3.4430)
    ),
}


@pytest.mark.parametrize("cql2", list(CQL2))
def test_cql2_filter_matches_the_source(url, source, cql2):
    body = items(url, filter=cql2, limit=100)

    assert ids(body) == expected(source, CQL2[cql2])
    assert body["numberMatched"] == len(body["features"])


def test_property_and_datetime_parameters(url, source):
    body = items(url, tingkat="kelurahan", datetime="2020-03-01/2020-12-31", limit=100)

    keep = expected(source, lambda p, g: "2020-03-01" <= p["tgl"] <= "2020-12-31")
    assert ids(body) == keep


def test_sortby_descending(url, source):
    body = items(url, sortby="-rumah", limit=5)

    assert ids(body) == [f["id"] for f in source][::-1][:5]


def test_free_text_q(url, source):
    body = items(url, q="landasan", limit=100)

    assert ids(body) == expected(source, lambda p, g: "landasan" in p["nama"].lower())


def test_properties_and_skip_geometry(url):
    body = items(url, properties="nama", skipGeometry="true", limit=2)

    assert [set(f["properties"]) for f in body["features"]] == [{"nama"}, {"nama"}]
    assert all(f["geometry"] is None for f in body["features"])


def test_one_item_as_in_the_source(url, source):
    response = requests.get(f"{url}/items/3", timeout=10)

    assert response.status_code == 200
    feature = response.json()
    assert feature["properties"] == {
        k: source[2]["properties"][k] for k in feature["properties"]
    }
    assert shape(feature["geometry"]).equals_exact(shape(source[2]["geometry"]), 1e-7)


def test_unknown_item_is_not_found(url):
    response = requests.get(f"{url}/items/9999", timeout=10)

    assert response.status_code == 404
    assert response.json()["code"]


def test_output_crs_follows_the_authority_axis_order(url, source):
    crs = "http://www.opengis.net/def/crs/EPSG/0/4326"
    response = requests.get(f"{url}/items/1", params={"crs": crs}, timeout=10)

    assert response.headers["Content-Crs"] == f"<{crs}>"
    lat, lon = response.json()["geometry"]["coordinates"][0][0]
    assert (lon, lat) == pytest.approx(source[0]["geometry"]["coordinates"][0][0])


@pytest.mark.parametrize(
    "params",
    [
        {"bbox": "114.7,-3.5,114.9"},
        {"bbox": "east,south,west,north"},
        {"datetime": "kemarin"},
        {"datetime": "2020-13-45"},
        {"limit": "seratus"},
        {"limit": "0"},
        {"limit": "-5"},
        {"offset": "-1"},
        {"sortby": "tidak_ada"},
        {"properties": "tidak_ada"},
        {"crs": "http://www.opengis.net/def/crs/EPSG/0/999999"},
        {"bbox-crs": "EPSG:4326", "bbox": "114.7,-3.5,114.9,-3.4"},
        {"filter": "nama = "},
        {"filter": "tidak_ada = 1"},
    ],
    ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()),
)
def test_malformed_parameters_are_a_400_that_says_why(url, params):
    response = requests.get(f"{url}/items", params=params, timeout=10)

    assert response.status_code == 400, response.text
    body = response.json()
    assert body["code"]
    assert body["description"]


def test_a_limit_above_the_maximum_is_clamped_to_it(
    module_backend, start_module_node, source, tmp_path_factory
):
    def small_pages(config):
        config["server"]["limits"]["max_items"] = 6

    folder = tmp_path_factory.mktemp("clamped")
    url = serve(module_backend, start_module_node, source, folder, small_pages)

    body = items(url, limit=1000)

    assert ids(body) == [1, 2, 3, 4, 5, 6]
    assert body["numberMatched"] == len(source)
    assert "next" in {link["rel"] for link in body["links"]}
