"""The node's HTTP answers: conformance, formats, languages and errors."""

from __future__ import annotations

import time
from typing import Any

import pytest
import requests

from simpul.server.conformance import FEATURES, FILTERING

PART_4 = "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete"
FILTER = "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter"
OUR_PROVIDER = "simpul_providers.features.FeatureProvider"


def get(url: str, **kwargs: Any) -> requests.Response:
    """GET *url* without a default Accept header unless one is given."""
    headers = {"Accept": None, **kwargs.pop("headers", {})}
    return requests.get(url, headers=headers, timeout=10, **kwargs)


def conforms_to(url: str) -> set[str]:
    """Return the node's declared conformance classes."""
    response = get(f"{url}/conformance")
    assert response.status_code == 200
    return set(response.json()["conformsTo"])


def wait_for_collection(url: str, name: str) -> None:
    """Wait until the node serves collection *name*."""
    deadline = time.monotonic() + 5
    while get(f"{url}/collections/{name}").status_code != 200:
        assert time.monotonic() < deadline, f"{name} was not served in time"
        time.sleep(0.1)


@pytest.fixture
def offices(node, publish_geojson):
    """Return a node serving the offices collection `kantor`."""
    publish_geojson(node, "kantor")
    wait_for_collection(node.url, "kantor")
    return node


def add_collection_of_ours(config: dict[str, Any]) -> None:
    """Configure a collection served by the node's own feature provider."""
    config["resources"]["jalan"] = {
        "type": "collection",
        "title": "Jalan",
        "description": "Jaringan jalan",
        "keywords": ["jalan"],
        "extents": {"spatial": {"bbox": [114.7, -3.5, 114.9, -3.4]}},
        "providers": [
            {"type": "feature", "name": OUR_PROVIDER, "data": "data/simpul.gpkg"}
        ],
    }


def test_conformance_declares_filtering_for_our_provider(start_node):
    classes = conforms_to(start_node(add_collection_of_ours, healthy=False).url)

    assert set(FEATURES) <= classes
    assert set(FILTERING) <= classes
    assert PART_4 not in classes


def test_conformance_omits_filtering_for_providers_that_ignore_it(offices):
    classes = conforms_to(offices.url)

    assert set(FEATURES) <= classes
    assert FILTER not in classes
    assert PART_4 not in classes


def test_conformance_renders_as_html(node):
    response = get(f"{node.url}/conformance", params={"f": "html"})

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    assert "ogcapi-common-1/1.0/conf/core" in response.text


@pytest.mark.parametrize(
    ("params", "accept", "media_type"),
    [
        ({}, None, "application/json"),
        ({}, "*/*", "application/json"),
        ({}, "application/json", "application/json"),
        ({}, "text/html,application/xhtml+xml,*/*;q=0.8", "text/html"),
        ({}, "application/ld+json", "application/ld+json"),
        ({"f": "json"}, "text/html", "application/json"),
        ({"f": "html"}, "application/json", "text/html"),
        ({"f": "jsonld"}, None, "application/ld+json"),
    ],
)
def test_format_follows_f_then_accept(node, params, accept, media_type):
    response = get(node.url, params=params, headers={"Accept": accept})

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith(media_type)


@pytest.mark.parametrize("accept", [None, "*/*", "application/geo+json"])
def test_items_default_to_geojson(offices, accept):
    response = get(
        f"{offices.url}/collections/kantor/items", headers={"Accept": accept}
    )

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/geo+json")
    assert response.json()["type"] == "FeatureCollection"


@pytest.mark.parametrize("path", ["/", "/conformance", "/collections"])
def test_unknown_format_is_an_invalid_parameter(node, path):
    response = get(f"{node.url}{path}", params={"f": "shapefile"})

    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "InvalidParameterValue"
    assert response.json()["description"]


def test_unknown_item_format_is_an_invalid_parameter(offices):
    url = f"{offices.url}/collections/kantor/items"

    response = get(url, params={"f": "shapefile"})

    assert response.status_code == 400
    assert response.json()["code"] == "InvalidParameterValue"


@pytest.mark.parametrize("path", ["/tidak-ada", "/collections/kantor/items/1/x"])
def test_unknown_path_is_a_json_not_found(node, path):
    response = get(f"{node.url}{path}", headers={"Accept": "text/html"})

    assert response.status_code == 404
    assert response.json()["code"] == "NotFound"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/collections/kantor/items"),
        ("PUT", "/collections/kantor/items/1"),
        ("PATCH", "/collections/kantor/items/1"),
        ("DELETE", "/collections/kantor/items/1"),
    ],
)
def test_items_cannot_be_written(offices, method, path):
    feature = {"type": "Feature", "properties": {}, "geometry": None}
    headers = {"Content-Type": "application/geo+json"}

    response = requests.request(
        method, f"{offices.url}{path}", json=feature, headers=headers, timeout=10
    )

    assert response.status_code in (401, 405)
    assert response.json()["code"]
    assert get(f"{offices.url}/collections/kantor/items").json()["numberReturned"] == 2


#: Words of the configured description, in each language.
DESCRIPTIONS = {
    "id": "Simpul Jaringan Informasi Geospasial Nasional",
    "en": "National Geospatial Information Network",
}


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("f", ["json", "html"])
def test_landing_page_in_both_languages(node, lang, f):
    response = get(node.url, params={"lang": lang, "f": f})

    assert response.status_code == 200
    assert response.headers["Content-Language"].startswith(lang)
    other = "en" if lang == "id" else "id"
    assert DESCRIPTIONS[lang] in response.text
    assert DESCRIPTIONS[other] not in response.text


def test_collection_of_a_missing_provider_fails_alone(start_node, publish_geojson):
    node = start_node(add_collection_of_ours, healthy=False)
    publish_geojson(node, "kantor")
    wait_for_collection(node.url, "kantor")

    broken = get(f"{node.url}/collections/jalan/items")

    assert broken.status_code >= 500
    assert broken.json()["code"]
    assert get(f"{node.url}/collections/kantor/items").status_code == 200
    assert get(node.url).status_code == 200


def test_static_files_are_served(node):
    response = get(f"{node.url}/static/css/default.css")

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/css")


def test_healthz_reports_ok(node):
    response = get(f"{node.url}/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_fails_when_a_collection_lacks_its_store(start_node):
    node = start_node(add_collection_of_ours, healthy=False)

    response = get(f"{node.url}/healthz")

    assert response.status_code == 503
    assert response.json()["status"] != "ok"


def test_limit_above_the_maximum_is_clamped_not_refused(offices):
    url = f"{offices.url}/collections/kantor/items"

    response = get(url, params={"limit": 1_000_000})

    assert response.status_code == 200
    assert response.json()["numberReturned"] == 2


def test_values_with_angle_brackets_reach_the_client_unchanged(start_node):
    """JSON escapes keep HTML safe without changing what a client decodes."""
    import shapely

    from simpul.store import open_writer
    from simpul.store.base import FieldType, LayerData

    def add(config):
        config["resources"]["CATATAN_PT_25K"] = {
            "type": "collection",
            "title": "Catatan",
            "description": "Catatan",
            "keywords": [],
            "extents": {"spatial": {"bbox": [114.7, -3.5, 114.9, -3.4]}},
            "providers": [
                {
                    "type": "feature",
                    "name": "simpul_providers.features.FeatureProvider",
                    "data": "data/simpul.gpkg",
                    "table": "CATATAN_PT_25K",
                }
            ],
        }

    node = start_node(add, healthy=False)
    remark = "luas < 5 ha & jarak > 2 km </script>"
    data = LayerData(
        "Point",
        [shapely.to_wkb(shapely.Point(114.8, -3.44))],
        {"REMARK": [remark]},
        {"REMARK": FieldType.STRING},
    )
    open_writer(str(node.data / "simpul.gpkg")).replace_layer("CATATAN_PT_25K", data)

    response = requests.get(f"{node.url}/collections/CATATAN_PT_25K/items", timeout=10)

    assert response.json()["features"][0]["properties"]["REMARK"] == remark
    assert "</script>" not in response.text


def test_every_link_of_the_landing_page_answers(offices):
    landing = get(f"{offices.url}/", params={"f": "json"}).json()

    base = landing_base(landing)
    own = [link for link in landing["links"] if link["href"].startswith(base)]
    assert len(own) > 5
    for link in own:  # links elsewhere (the organisation's site) are not followed
        href = link["href"].replace(base, offices.url, 1)
        response = get(href)
        assert response.status_code == 200, (link["rel"], href, response.status_code)


def landing_base(landing: dict) -> str:
    """Return the base URL the landing page's self link is under."""
    self_link = next(link["href"] for link in landing["links"] if link["rel"] == "self")
    return self_link.split("?")[0].rstrip("/")


def test_client_errors_are_not_logged_as_server_errors(offices):
    url = f"{offices.url}/collections/kantor/items"
    for params in ({"limit": "abc"}, {"bbox": "1,2,3"}, {"crs": "EPSG:32750"}):
        assert get(url, params=params).status_code == 400

    log = offices.log.read_text(encoding="utf-8", errors="replace")
    assert log.count(" 400 Bad Request") == 3  # the log does record requests
    assert "ERROR" not in log and "Traceback" not in log, log
