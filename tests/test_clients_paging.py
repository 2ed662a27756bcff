"""Walking `next` links returns every matching feature exactly once.

OGC API - Features Part 1, /req/core/fc-links and /req/core/fc-response: each
page says how many features it holds and how many match, and the next link
keeps every query parameter of the request.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import requests
import shapely

sys.path.insert(0, str(Path(__file__).parent))
from clients_fixtures import (  # noqa: E402
    DATE,
    EPSG,
    KECAMATAN,
    Dataset,
    SourceFeature,
    needs_data,
    pages,
    published_node,
    read_source,
    temporal_dataset,
)

pytestmark = needs_data

#: Around Banjarbaru and Banjarmasin: some kecamatan of the province, not all.
BOX = (114.5, -3.6, 114.9, -3.2)
#: The same box in WGS 84 / UTM 50S, for bbox-crs.
UTM = "32750"


@pytest.fixture(scope="module")
def temporal(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    """The kelurahan with a date column and two features without geometry."""
    return temporal_dataset(tmp_path_factory.mktemp("temporal"))


@pytest.fixture(scope="module")
def url(module_backend: Any, start_module_node: Any, temporal: Dataset) -> str:
    """Return the URL of a node serving the kecamatan and the temporal kelurahan."""
    datasets = [KECAMATAN, temporal]
    return published_node(start_module_node, module_backend, datasets).url


@pytest.fixture(scope="module")
def kecamatan() -> dict[Any, SourceFeature]:
    """The 156 kecamatan of Kalimantan Selatan, read from the source file."""
    return read_source(KECAMATAN)


def in_box(feature: SourceFeature) -> bool:
    return feature.geometry.intersects(shapely.box(*BOX))


def named_b(feature: SourceFeature) -> bool:
    return feature.properties["nama"].startswith("B")


CASES: dict[str, tuple[dict[str, Any], Any]] = {
    "everything": ({}, lambda f: True),
    "bbox": ({"bbox": ",".join(map(str, BOX))}, in_box),
    "cql2-text": ({"filter": "nama LIKE 'B%'"}, named_b),
    "cql2-json": (
        {
            "filter-lang": "cql2-json",
            "filter": json.dumps({"op": "like", "args": [{"property": "nama"}, "B%"]}),
        },
        named_b,
    ),
    "bbox-and-filter": (
        {"bbox": ",".join(map(str, BOX)), "filter": "nama LIKE 'B%'"},
        lambda f: in_box(f) and named_b(f),
    ),
    "property": ({"tingkat": "kecamatan"}, lambda f: True),
}


def walk(url: str, **params: Any) -> tuple[list[str], list[dict[str, Any]]]:
    """Return the kode of every feature met walking the pages, and the pages."""
    walked = list(pages(f"{url}/collections/{KECAMATAN.name}/items", **params))
    kodes = [f["properties"]["kode"] for p in walked for f in p["features"]]
    return kodes, walked


@pytest.mark.parametrize("limit", [7, 50, 155, 1000])
@pytest.mark.parametrize("case", list(CASES))
def test_next_links_return_every_match_exactly_once(
    url: str, kecamatan: dict, case: str, limit: int
) -> None:
    params, keep = CASES[case]

    kodes, walked = walk(url, limit=limit, **params)

    want = {k for k, f in kecamatan.items() if keep(f)}
    assert Counter(kodes) == Counter(want)
    matched = {p["numberMatched"] for p in walked}
    assert matched == {len(want)}
    assert sum(p["numberReturned"] for p in walked) == len(want)
    assert all(p["numberReturned"] == len(p["features"]) <= limit for p in walked)
    # A full last page may still link to an empty one (pygeoapi's rule when a
    # page is full); nothing more than that.
    assert len(walked) <= -(-len(want) // limit) + 1


def test_the_last_page_has_no_next_link(url: str) -> None:
    *_, last = walk(url, limit=50)[1]

    assert "next" not in {link["rel"] for link in last["links"]}
    assert last["numberReturned"] == 156 - 3 * 50


def test_paging_with_sortby_keeps_the_order_across_pages(
    url: str, kecamatan: dict
) -> None:
    kodes, _ = walk(url, limit=20, sortby="-kode")

    assert kodes == sorted(kecamatan, reverse=True)


def test_paging_with_bbox_crs_keeps_the_crs_in_next_links(
    url: str, kecamatan: dict
) -> None:
    from pyproj import Transformer

    to_utm = Transformer.from_crs("OGC:CRS84", f"EPSG:{UTM}", always_xy=True)
    corners = to_utm.transform([BOX[0], BOX[2]], [BOX[1], BOX[3]])
    utm_box = shapely.box(corners[0][0], corners[1][0], corners[0][1], corners[1][1])
    bbox = ",".join(f"{v:.3f}" for v in utm_box.bounds)

    kodes, walked = walk(
        url, limit=10, bbox=bbox, **{"bbox-crs": f"{EPSG}{UTM}", "crs": f"{EPSG}{UTM}"}
    )

    assert len(kodes) == len(set(kodes)) == walked[0]["numberMatched"] > 10
    for page in walked:
        x, y = page["features"][0]["geometry"]["coordinates"][0][0][0]
        assert 100_000 < x < 900_000 and 9_000_000 < y < 10_000_000


def test_paging_with_datetime_keeps_the_interval(url: str, temporal: Dataset) -> None:
    interval = "2021-03-01/2022-06-30"
    source = read_source(temporal)

    walked = list(
        pages(f"{url}/collections/{temporal.name}/items", limit=3, datetime=interval)
    )

    dates = [f["properties"][DATE] for p in walked for f in p["features"]]
    want = [f.properties[DATE] for f in source.values()]
    assert sorted(dates) == sorted(d for d in want if "2021-03-01" <= d <= "2022-06-30")
    assert sum(p["numberReturned"] for p in walked) == walked[0]["numberMatched"]


def test_a_limit_above_the_maximum_is_clamped_not_refused(url: str) -> None:
    response = requests.get(
        f"{url}/collections/{KECAMATAN.name}/items",
        params={"limit": 10_000_000},
        timeout=30,
    )

    assert response.status_code == 200
    assert response.json()["numberReturned"] == 156
