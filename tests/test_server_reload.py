"""A collection published, replaced or removed elsewhere is served without restart."""

from __future__ import annotations

import time
from collections.abc import Callable

import requests

from simpul.openapi import write_openapi

RELOAD_TIMEOUT = 5.0


def collection_ids(url: str) -> set[str]:
    """Return the ids listed at /collections."""
    response = requests.get(f"{url}/collections", timeout=10)
    assert response.status_code == 200
    return {c["id"] for c in response.json()["collections"]}


def eventually(condition: Callable[[], bool]) -> bool:
    """Return whether *condition* holds within the reload timeout."""
    deadline = time.monotonic() + RELOAD_TIMEOUT
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def test_published_collection_appears_without_restart(node, publish_geojson):
    assert collection_ids(node.url) == set()

    publish_geojson(node, "kantor")

    assert eventually(lambda: "kantor" in collection_ids(node.url))
    items = requests.get(f"{node.url}/collections/kantor/items", timeout=10).json()
    assert items["numberReturned"] == 2
    openapi = requests.get(f"{node.url}/openapi", timeout=10).json()
    assert "/collections/kantor/items" in openapi["paths"]


def test_removed_collection_disappears_without_restart(node, publish_geojson):
    publish_geojson(node, "kantor")
    publish_geojson(node, "sekolah")
    assert eventually(lambda: {"kantor", "sekolah"} <= collection_ids(node.url))

    config = node.read_config()
    del config["resources"]["kantor"]
    node.write_config(config)
    write_openapi(node.config, node.openapi)

    assert eventually(lambda: collection_ids(node.url) == {"sekolah"})
    gone = requests.get(f"{node.url}/collections/kantor/items", timeout=10)
    assert gone.status_code == 404


def test_broken_config_keeps_serving_the_last_good_one(node, publish_geojson):
    publish_geojson(node, "kantor")
    assert eventually(lambda: "kantor" in collection_ids(node.url))

    node.config.write_text("server: [unclosed\n", encoding="utf-8")

    assert eventually(
        lambda: requests.get(f"{node.url}/healthz", timeout=10).status_code == 503
    )
    assert "kantor" in collection_ids(node.url)


def test_missing_openapi_is_generated_at_start_up(node):
    assert node.openapi.exists()
    document = requests.get(f"{node.url}/openapi", timeout=10).json()
    assert document["info"]["title"]
