"""The tile cache of a store: a folder beside the GeoPackage, or the config's."""

from __future__ import annotations

import functools
import os
from pathlib import Path

from simpul.store import is_database, resolve
from simpul.tiles.cache import TileCache


def cache_root(reference: str) -> Path:
    """Return the folder that holds the tile cache of the store *reference*."""
    config = os.environ.get("PYGEOAPI_CONFIG")
    base_dir = Path(config).resolve().parent if config else Path.cwd()
    resolved = resolve(reference, base_dir)
    if is_database(resolved):
        return base_dir / "data" / "cache" / "tiles"
    return Path(resolved).parent / "cache" / "tiles"


@functools.lru_cache(maxsize=32)
def cache_for(reference: str, max_bytes: int) -> TileCache:
    """Return the (shared) tile cache of the store *reference*."""
    return TileCache(cache_root(reference), max_bytes)
