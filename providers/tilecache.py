"""The tile cache of a store: a folder beside the GeoPackage, or the config's."""

from __future__ import annotations

import functools
import os
from pathlib import Path

from simpul.tiles.cache import TileCache, cache_root


def node_folder() -> Path:
    """Return the folder of the node's configuration."""
    config = os.environ.get("PYGEOAPI_CONFIG")
    return Path(config).resolve().parent if config else Path.cwd()


@functools.lru_cache(maxsize=32)
def cache_for(reference: str, max_bytes: int) -> TileCache:
    """Return the (shared) tile cache of the store *reference*."""
    return TileCache(cache_root(reference, node_folder()), max_bytes)
