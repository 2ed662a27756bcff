"""Open the store named by a provider definition, once per process."""

from __future__ import annotations

import functools
import os
from pathlib import Path

from simpul.store import open_store
from simpul.store.base import Store


@functools.lru_cache(maxsize=32)
def store_for(reference: str) -> Store:
    """Return the store for a provider's ``data`` value.

    A relative GeoPackage path is taken from the folder of the node's config file.
    """
    config = os.environ.get("PYGEOAPI_CONFIG")
    base_dir = Path(config).resolve().parent if config else Path.cwd()
    return open_store(reference, base_dir)
