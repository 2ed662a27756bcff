"""OGC API - Tiles on a running node, over each store: what clients rely on."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import mapbox_vector_tile
import morecantile
import pytest
import requests
import yaml

from simpul import cli

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
KELURAHAN = SHARED / "banjarbaru" / "kelurahan_banjarbaru.geojson"
NAME = "KELURAHAN_AR_25K"
TILEJSON_SCHEMA = Path(__file__).parent / "schemas" / "tilejson-3.0.0.schema.json"
#: The style specification's own validator, of the release MapLibre GL JS 6.20 uses.
STYLE_SPEC = "@maplibre/maplibre-gl-style-spec@^26.11.0"
STYLE_SPEC_DIR = Path(__file__).resolve().parents[1] / ".peer" / "maplibre-style-spec"
MVT = "application/vnd.mapbox-vector-tile"
TILESETS_VECTOR = "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"
CENTRE = (114.8205, -3.4430)


def tile_provider(feature: dict[str, Any]) -> dict[str, Any]:
    """Return the tile provider block that goes beside a feature provider."""
    return {
        "type": "tile",
        "name": "simpul_providers.tiles.TileProvider",
        "data": feature["data"],
        "table": feature["table"],
        "format": {"name": "mvt", "mimetype": MVT},
        "options": {"zoom": {"min": 5, "max": 18}, "max_age": 120},
    }


def add_tiles(config: Path) -> None:
    """Set the tile provider of every feature collection of *config*, as an
    operator who edits the zoom range and cache age would."""
    node_config = _load(config)
    for resource in node_config["resources"].values():
        providers = resource["providers"]
        if providers[0]["type"] != "feature":
            continue
        providers[:] = [p for p in providers if p["type"] != "tile"]
        providers.append(tile_provider(providers[0]))
    _dump(config, node_config)


def _load(path: Path) -> dict[str, Any]:
    """Return a YAML configuration file as written."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _dump(path: Path, config: dict[str, Any]) -> None:
    """Replace a configuration file atomically, as publishing does."""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    tmp.replace(path)


@pytest.fixture(scope="module")
def node(start_module_node: Callable[..., Any], module_backend: Any) -> Any:
    """A node serving the kelurahan with tiles, from the store under test."""
    started = start_module_node(env=module_backend.node_env)
    with pytest.MonkeyPatch.context() as patch:
        for key, value in module_backend.publish_env.items():
            patch.setenv(key, value)
        argv = ["publish", str(KELURAHAN), "--name", NAME]
        assert cli.main([*argv, "--config", str(started.config)]) == 0
    add_tiles(started.config)
    wait_for_tiles(started.url)
    return started


def wait_for_tiles(url: str) -> None:
    """Wait until the node has reloaded the configuration with tiles."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if requests.get(f"{url}/collections/{NAME}/tiles", timeout=10).ok:
            return
        time.sleep(0.2)
    pytest.fail("the node did not pick up the tile provider")


def tile_url(
    node: Any, z: int, row: int, col: int, tms: str = "WebMercatorQuad"
) -> str:
    """Return the URL of one tile of the kelurahan."""
    return f"{node.url}/collections/{NAME}/tiles/{tms}/{z}/{row}/{col}"


def centre_tile(z: int, tms: str = "WebMercatorQuad") -> tuple[int, int, int]:
    """Return z, row, column of the tile over the city centre."""
    tile = morecantile.tms.get(tms).tile(*CENTRE, z)
    return tile.z, tile.y, tile.x


@pytest.mark.parametrize("tms", ["WebMercatorQuad", "WorldCRS84Quad"])
def test_tile_over_the_city_is_mvt_with_cache_headers(node: Any, tms: str) -> None:
    response = requests.get(tile_url(node, *centre_tile(14, tms), tms), timeout=30)
    assert response.status_code == 200
    assert response.headers["content-type"] == MVT
    assert response.headers["etag"]
    assert response.headers["cache-control"] == "public, max-age=120"
    layer = mapbox_vector_tile.decode(response.content)[NAME]
    assert layer["features"] and all(
        "nama" in f["properties"] for f in layer["features"]
    )


def test_unchanged_tile_answers_304_to_its_etag(node: Any) -> None:
    url = tile_url(node, *centre_tile(13))
    etag = requests.get(url, timeout=30).headers["etag"]
    again = requests.get(url, headers={"If-None-Match": etag}, timeout=30)
    assert again.status_code == 304 and not again.content


def test_tile_in_range_without_data_is_204(node: Any) -> None:
    # The south-west corner of the city's bounding box lies outside every kelurahan.
    tms = morecantile.tms.get("WebMercatorQuad")
    tile = tms.tile(114.6750, -3.5690, 18)
    response = requests.get(tile_url(node, 18, tile.y, tile.x), timeout=30)
    assert response.status_code == 204
    assert response.content == b""


@pytest.mark.parametrize(
    "z,row,col",
    [(12, 0, 0), (4, 8, 13), (19, 0, 0), (14, 99999, 99999)],
    ids=["outside-extent", "below-min-zoom", "above-max-zoom", "outside-matrix"],
)
def test_tile_outside_the_limits_is_404(node: Any, z: int, row: int, col: int) -> None:
    response = requests.get(tile_url(node, z, row, col), timeout=30)
    assert response.status_code == 404
    assert response.json()["code"]


@pytest.mark.parametrize(
    "path,status",
    [
        ("WebMercatorQuad/x/1/1", 400),
        ("WebMercatorQuad/14/-1/3", 400),
        ("WebMercatorQuad/14/1.5/3", 400),
        ("NoSuchMatrixSet/14/1/1", 404),
    ],
)
def test_bad_tile_requests_get_an_ogc_exception(
    node: Any, path: str, status: int
) -> None:
    url = f"{node.url}/collections/{NAME}/tiles/{path}"
    response = requests.get(url, timeout=30)
    assert response.status_code == status
    body = response.json()
    assert body["code"] and body["description"]


def test_tile_matrix_sets_come_from_morecantile(node: Any) -> None:
    listing = requests.get(f"{node.url}/tileMatrixSets", timeout=30).json()
    assert {s["id"] for s in listing["tileMatrixSets"]} == {
        "WebMercatorQuad",
        "WorldCRS84Quad",
    }
    for tms_id in ("WebMercatorQuad", "WorldCRS84Quad"):
        served = requests.get(f"{node.url}/tileMatrixSets/{tms_id}", timeout=30)
        expected = morecantile.tms.get(tms_id).model_dump(
            mode="json", exclude_none=True, by_alias=True
        )
        assert served.json() == expected
    missing = requests.get(f"{node.url}/tileMatrixSets/Nope", timeout=30)
    assert missing.status_code == 404


def test_landing_page_and_collection_link_to_vector_tilesets(node: Any) -> None:
    tiles = f"{node.url}/collections/{NAME}/tiles"
    landing = requests.get(f"{node.url}/?f=json", timeout=30).json()
    hrefs = {
        link["href"] for link in landing["links"] if link["rel"] == TILESETS_VECTOR
    }
    assert hrefs == {tiles}
    collection = requests.get(f"{node.url}/collections/{NAME}?f=json", timeout=30)
    links = collection.json()["links"]
    assert any(link["rel"] == TILESETS_VECTOR for link in links)


def test_tilesets_list_and_metadata_describe_the_layer(node: Any) -> None:
    tilesets = requests.get(f"{node.url}/collections/{NAME}/tiles", timeout=30).json()
    uris = {t["tileMatrixSetURI"] for t in tilesets["tilesets"]}
    assert uris == {
        "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad",
        "http://www.opengis.net/def/tilematrixset/OGC/1.0/WorldCRS84Quad",
    }
    url = f"{node.url}/collections/{NAME}/tiles/WebMercatorQuad"
    metadata = requests.get(url, timeout=30).json()
    assert metadata["dataType"] == "vector"
    limits = {int(m["tileMatrix"]): m for m in metadata["tileMatrixSetLimits"]}
    assert min(limits) == 5 and max(limits) == 18
    z, row, col = centre_tile(14)
    assert limits[14]["minTileRow"] <= row <= limits[14]["maxTileRow"]
    assert limits[14]["minTileCol"] <= col <= limits[14]["maxTileCol"]
    west, south, east, north = [
        *metadata["boundingBox"]["lowerLeft"],
        *metadata["boundingBox"]["upperRight"],
    ]
    assert west < CENTRE[0] < east and south < CENTRE[1] < north
    (layer,) = metadata["layers"]
    assert layer["id"] == NAME and layer["geometryDimension"] == 2
    assert layer["propertiesSchema"]["properties"]["nama"] == {"type": "string"}
    item = next(link for link in metadata["links"] if link["rel"] == "item")
    assert item["href"].endswith("/{tileMatrix}/{tileRow}/{tileCol}")


def test_tilejson_follows_its_schema_and_points_at_tiles(node: Any) -> None:
    url = f"{node.url}/collections/{NAME}/tiles/WebMercatorQuad?f=tilejson"
    document = requests.get(url, timeout=30).json()
    jsonschema.validate(document, json.loads(TILEJSON_SCHEMA.read_text()))
    assert document["tilejson"] == "3.0.0"
    assert document["vector_layers"][0]["id"] == NAME
    template = document["tiles"][0]
    z, row, col = centre_tile(14)
    tile = template.replace("{z}", str(z)).replace("{y}", str(row))
    response = requests.get(tile.replace("{x}", str(col)), timeout=30)
    assert response.status_code == 200


def test_default_style_uses_the_tilejson_source(node: Any) -> None:
    url = f"{node.url}/collections/{NAME}/styles/default"
    style = requests.get(url, timeout=30).json()
    assert style["version"] == 8
    (source,) = style["sources"].values()
    assert source["type"] == "vector"
    assert requests.get(source["url"], timeout=30).json()["tilejson"] == "3.0.0"
    drawn = [layer for layer in style["layers"] if "source" in layer]
    assert drawn and all(layer["source-layer"] == NAME for layer in drawn)


@pytest.fixture(scope="session")
def validate_style() -> Callable[[Path], subprocess.CompletedProcess]:
    """Return a function running gl-style-validate on a style file (npm, once)."""
    binary = STYLE_SPEC_DIR / "node_modules" / ".bin" / "gl-style-validate"
    if not binary.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm is needed to validate styles (Debian: nodejs npm)")
        install = [npm, "install", "--silent", "--no-audit", "--no-fund"]
        install += ["--prefix", str(STYLE_SPEC_DIR), STYLE_SPEC]
        subprocess.run(install, check=True, timeout=600)

    def validate(path: Path) -> subprocess.CompletedProcess:
        command = [str(binary), str(path)]
        return subprocess.run(command, capture_output=True, text=True, timeout=60)

    return validate


def test_default_style_passes_the_style_specification(
    node: Any, validate_style: Any, tmp_path: Path
) -> None:
    url = f"{node.url}/collections/{NAME}/styles/default"
    style = requests.get(url, timeout=30).json()
    good = tmp_path / "style.json"
    good.write_text(json.dumps(style), encoding="utf-8")
    broken = tmp_path / "broken.json"
    style["layers"][-1]["source"] = "no-such-source"
    broken.write_text(json.dumps(style), encoding="utf-8")

    result = validate_style(good)

    assert result.returncode == 0, result.stdout + result.stderr
    assert validate_style(broken).returncode != 0


def test_operator_can_cap_the_attributes_tiles_carry(node: Any) -> None:
    original = node.config.read_text(encoding="utf-8")
    config = _load(node.config)
    tiles = config["resources"][NAME]["providers"][1]
    tiles["options"]["properties"] = ["nama"]
    _dump(node.config, config)
    url = tile_url(node, *centre_tile(14))
    try:
        deadline = time.monotonic() + 30
        while True:
            layer = mapbox_vector_tile.decode(requests.get(url, timeout=30).content)
            names = {k for f in layer[NAME]["features"] for k in f["properties"]}
            if names == {"nama"} or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert names == {"nama"}
        tileset = f"{node.url}/collections/{NAME}/tiles/WebMercatorQuad"
        metadata = requests.get(tileset, params={"f": "json"}, timeout=30)
        (vector_layer,) = metadata.json()["layers"]
        assert set(vector_layer["propertiesSchema"]["properties"]) == {"nama"}
    finally:
        node.config.write_text(original, encoding="utf-8")
