"""CQL2 filters declared in /conformance reach the node's own provider."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests
import shapely

from simpul.store import open_writer
from simpul.store.base import FieldType, LayerData

LAYER = "KANTOR_PT_25K"
OFFICES = {
    "Balai Kota": (114.83, -3.45),
    "Kantor Camat Landasan Ulin": (114.75, -3.44),
    "Kantor Camat Cempaka": (114.90, -3.50),
}


def add_offices_layer(config: dict[str, Any]) -> None:
    """Configure the offices layer as `simpul publish` would."""
    config["resources"][LAYER] = {
        "type": "collection",
        "title": "Kantor",
        "description": "Kantor pemerintahan",
        "keywords": ["kantor"],
        "extents": {"spatial": {"bbox": [114.7, -3.5, 114.9, -3.4]}},
        "providers": [
            {
                "type": "feature",
                "name": "simpul_providers.features.FeatureProvider",
                "data": "data/simpul.gpkg",
                "table": LAYER,
                "id_field": "fid",
                "storage_crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
            }
        ],
    }


@pytest.fixture
def offices_node(start_node):
    """Return a node serving the offices layer from its GeoPackage store."""
    node = start_node(add_offices_layer, healthy=False)
    data = LayerData(
        geometry_type="Point",
        wkb=[shapely.to_wkb(shapely.Point(xy)) for xy in OFFICES.values()],
        columns={"NAMOBJ": list(OFFICES)},
        types={"NAMOBJ": FieldType.STRING},
    )
    open_writer(str(node.data / "simpul.gpkg")).replace_layer(LAYER, data)
    assert requests.get(f"{node.url}/healthz", timeout=10).status_code == 200
    return node


@pytest.mark.parametrize(
    ("cql2", "names"),
    [
        (
            "NAMOBJ LIKE 'Kantor Camat%'",
            {"Kantor Camat Landasan Ulin", "Kantor Camat Cempaka"},
        ),
        ("NAMOBJ IN ('Balai Kota')", {"Balai Kota"}),
        (
            "S_INTERSECTS(geometry, BBOX(114.8, -3.55, 114.95, -3.4))",
            {"Balai Kota", "Kantor Camat Cempaka"},
        ),
    ],
)
def test_filter_selects_features(offices_node, cql2, names):
    url = f"{offices_node.url}/collections/{LAYER}/items"

    response = requests.get(url, params={"filter": cql2}, timeout=10)

    assert response.status_code == 200
    assert {f["properties"]["NAMOBJ"] for f in response.json()["features"]} == names


@pytest.mark.parametrize(
    ("cql2_json", "names"),
    [
        (
            {"op": "like", "args": [{"property": "NAMOBJ"}, "Kantor Camat%"]},
            {"Kantor Camat Landasan Ulin", "Kantor Camat Cempaka"},
        ),
        (
            {"op": "=", "args": [{"property": "NAMOBJ"}, "Balai Kota"]},
            {"Balai Kota"},
        ),
    ],
)
def test_cql2_json_filter_in_the_query_string(offices_node, cql2_json, names):
    url = f"{offices_node.url}/collections/{LAYER}/items"
    params = {"filter-lang": "cql2-json", "filter": json.dumps(cql2_json)}

    response = requests.get(url, params=params, timeout=10)

    assert response.status_code == 200
    assert {f["properties"]["NAMOBJ"] for f in response.json()["features"]} == names


def test_filter_on_an_unknown_property_is_a_bad_request(offices_node):
    url = f"{offices_node.url}/collections/{LAYER}/items"

    response = requests.get(url, params={"filter": "TIDAKADA = 1"}, timeout=10)

    assert response.status_code == 400
    assert response.json()["code"]


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"filter": "NAMOBJ LIKE"}, "Invalid CQL2-TEXT filter"),
        ({"filter": "{not json", "filter-lang": "cql2-json"}, "Invalid CQL2-JSON"),
        ({"filter": "NAMOBJ = 'x'", "filter-lang": "ecql"}, "not supported"),
    ],
)
def test_a_malformed_filter_gets_a_400_that_says_why(offices_node, params, words):
    url = f"{offices_node.url}/collections/{LAYER}/items"

    response = requests.get(url, params=params, timeout=10)

    assert response.status_code == 400
    assert words in response.json()["description"]


def test_cql2_json_paging_links_keep_the_filter(offices_node):
    url = f"{offices_node.url}/collections/{LAYER}/items"
    cql2 = {"op": "like", "args": [{"property": "NAMOBJ"}, "Kantor Camat%"]}
    params = {"filter-lang": "cql2-json", "filter": json.dumps(cql2), "limit": 1}

    names, pages = [], 0
    response = requests.get(url, params=params, timeout=10)
    while True:
        pages += 1
        body = response.json()
        names += [f["properties"]["NAMOBJ"] for f in body["features"]]
        nxt = [link["href"] for link in body["links"] if link["rel"] == "next"]
        if not nxt or pages > 5:
            break
        response = requests.get(nxt[0], timeout=10)

    assert sorted(names) == ["Kantor Camat Cempaka", "Kantor Camat Landasan Ulin"]
