"""The node's tile cache: on disk, bounded, and invalidated by republishing."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import morecantile
import requests
import yaml

from simpul import cli
from simpul.tiles import TileOptions
from simpul.tiles.cache import TileCache

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
KELURAHAN = SHARED / "banjarbaru" / "kelurahan_banjarbaru.geojson"
KECAMATAN = SHARED / "kalsel" / "kecamatan_kalsel.geojson"
NAME = "WILAYAH_AR_25K"
MVT = {"name": "mvt", "mimetype": "application/vnd.mapbox-vector-tile"}


def test_cache_keeps_empty_tiles_and_evicts_the_least_recently_used(
    tmp_path: Path,
) -> None:
    cache = TileCache(tmp_path, max_bytes=5 * 4096)
    keys = [
        cache.key("c", "v1", TileOptions(), "WebMercatorQuad", 9, i, 0)
        for i in range(8)
    ]
    cache.put(keys[0], None)
    assert cache.get(keys[0]).data is None
    for i, key in enumerate(keys[1:], start=1):
        cache.put(key, bytes([i]) * 100)
        os.utime(key.path, (i, i))  # oldest first
        cache.get(keys[1])  # keep using the first tile with data
    remaining = [k for k in keys if k.path.exists()]
    assert len(remaining) <= 5
    assert keys[1] in remaining and keys[2] not in remaining
    assert cache.get(keys[1]).data == bytes([1]) * 100


def test_new_version_retires_the_old_folder(tmp_path: Path) -> None:
    cache = TileCache(tmp_path, max_bytes=2**20)
    old = cache.key("c", "v1", TileOptions(), "WebMercatorQuad", 1, 0, 0)
    new = cache.key("c", "v2", TileOptions(), "WebMercatorQuad", 1, 0, 0)
    cache.put(old, b"old")
    cache.put(new, b"new")
    assert not old.folder.exists()
    assert cache.get(new).data == b"new" and new.etag != old.etag


def publish(config: Path, path: Path) -> None:
    """Publish *path* as NAME and give the collection its tile provider."""
    assert (
        cli.main(["publish", str(path), "--name", NAME, "--config", str(config)]) == 0
    )

    node_config = yaml.safe_load(config.read_text(encoding="utf-8"))
    providers = node_config["resources"][NAME]["providers"]
    if not any(p["type"] == "tile" for p in providers):
        feature = providers[0]
        providers.append(
            {
                "type": "tile",
                "name": "simpul_providers.tiles.TileProvider",
                "data": feature["data"],
                "table": NAME,
                "format": MVT,
            }
        )
        tmp = config.with_suffix(".tmp")
        tmp.write_text(yaml.safe_dump(node_config, allow_unicode=True))
        tmp.replace(config)


def fetch_until(
    url: str, check: Callable[[requests.Response], bool]
) -> requests.Response:
    """GET *url* until *check* holds (the node reloads its config by itself)."""
    deadline = time.monotonic() + 30
    while True:
        response = requests.get(url, timeout=30)
        if check(response) or time.monotonic() > deadline:
            return response
        time.sleep(0.2)


def served_tile(node: Any) -> tuple[str, requests.Response, Path]:
    """Publish the kelurahan, fetch the z12 tile over the city centre; return its
    URL, the response and the collection's cache folder."""
    publish(node.config, KELURAHAN)
    tile = morecantile.tms.get("WebMercatorQuad").tile(114.8205, -3.4430, 12)
    url = f"{node.url}/collections/{NAME}/tiles/WebMercatorQuad/12/{tile.y}/{tile.x}"
    response = fetch_until(url, lambda r: r.status_code == 200)
    assert response.status_code == 200
    return url, response, node.data / "cache" / "tiles" / NAME


def test_republishing_serves_new_tiles_and_drops_the_old_ones(
    start_node: Callable[..., Any],
) -> None:
    node = start_node()
    url, first, cache = served_tile(node)
    (old_folder,) = list(cache.iterdir())
    assert list(old_folder.rglob("*.mvt"))

    publish(node.config, KECAMATAN)
    second = fetch_until(url, lambda r: r.headers.get("etag") != first.headers["etag"])
    assert second.status_code == 200 and second.content != first.content
    assert not old_folder.exists()
    assert [p.name for p in cache.iterdir()] != [old_folder.name]


def test_unpublishing_removes_the_collections_cached_tiles(
    start_node: Callable[..., Any],
) -> None:
    node = start_node()
    url, _, cache = served_tile(node)
    assert list(cache.rglob("*.mvt"))

    assert cli.main(["unpublish", NAME, "--config", str(node.config)]) == 0

    assert not cache.exists()
    assert fetch_until(url, lambda r: r.status_code == 404).status_code == 404
