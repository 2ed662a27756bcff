"""OWSLib reads the node as a Python client would: metadata, pages, single items."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from owslib.ogcapi.features import Features

sys.path.insert(0, str(Path(__file__).parent))
from clients_fixtures import (  # noqa: E402
    CRS84,
    ESRI,
    KECAMATAN,
    OUTPUT_CRS,
    REAL,
    Dataset,
    assert_matches_source,
    from_geojson,
    needs_data,
    published_node,
    read_source,
    same_shape,
)

pytestmark = needs_data


@pytest.fixture(scope="module")
def client(module_backend: Any, start_module_node: Any) -> Features:
    """Return an OWSLib client of a node serving the real files."""
    node = published_node(start_module_node, module_backend, REAL)
    return Features(node.url)


def harvest(client: Features, name: str, limit: int) -> list[dict[str, Any]]:
    """Read every feature of *name* page by page with limit and offset."""
    features: list[dict[str, Any]] = []
    while True:
        page = client.collection_items(name, limit=limit, offset=len(features))
        features += page["features"]
        assert page["numberReturned"] == len(page["features"])
        if len(features) >= page["numberMatched"]:
            assert len(features) == page["numberMatched"]
            return features


@pytest.mark.parametrize("dataset", REAL, ids=lambda d: d.path.name)
def test_owslib_harvest_matches_the_source(client: Features, dataset: Dataset) -> None:
    features = harvest(client, dataset.name, limit=50)

    assert_matches_source(dataset, [from_geojson(f) for f in features])


def test_owslib_lists_every_published_collection(client: Features) -> None:
    assert set(client.feature_collections()) >= {d.name for d in REAL}


def test_collection_metadata_declares_storage_crs_and_output_crs(
    client: Features,
) -> None:
    collection = client.collection(KECAMATAN.name)

    assert collection["storageCrs"] == CRS84
    assert collection["crs"] == OUTPUT_CRS
    assert collection["itemType"] == "feature"


def test_conformance_declares_the_parts_clients_use(client: Features) -> None:
    conforms = set(client.conformance()["conformsTo"])

    part = "http://www.opengis.net/spec/ogcapi-features-{}/1.0/conf/{}"
    for number, name in [
        (1, "core"),
        (1, "geojson"),
        (1, "html"),
        (1, "oas30"),
        (2, "crs"),
        (3, "queryables"),
        (3, "filter"),
        (3, "features-filter"),
    ]:
        assert part.format(number, name) in conforms


def test_queryables_name_every_source_attribute(client: Features) -> None:
    queryables = client.collection_queryables(ESRI.name)["properties"]

    attributes = next(iter(read_source(ESRI).values())).properties
    assert set(attributes) <= set(queryables)


def test_one_item_by_id_matches_the_source(client: Features) -> None:
    want = read_source(ESRI)[7]

    feature = from_geojson(client.collection_item(ESRI.name, "7"))

    assert feature.id == 7
    assert feature.properties == want.properties
    assert same_shape(feature.geometry, want.geometry)


def test_an_absent_item_is_an_error_for_owslib(client: Features) -> None:
    with pytest.raises(RuntimeError):
        client.collection_item(ESRI.name, "999999")


def test_owslib_sortby_and_bbox_reach_the_server(client: Features) -> None:
    page = client.collection_items(
        KECAMATAN.name,
        bbox=[114.7, -3.6, 115.0, -3.3],
        sortby=("nama", "desc"),
        limit=1000,
    )

    names = [f["properties"]["nama"] for f in page["features"]]
    assert names == sorted(names, reverse=True)
    assert 0 < page["numberMatched"] == len(names) < len(read_source(KECAMATAN))
