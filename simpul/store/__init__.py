"""The node's stores, behind one interface for publishing and serving."""

from __future__ import annotations

import os
import re
from pathlib import Path

from .base import Store, StoreWriter

_STORES: dict[str, Store] = {}

_ENV = re.compile(r"\$\{(\w+)(?::-([^}]*))?\}")


def resolve(reference: str, base_dir: Path | str) -> str:
    """Return a store reference with ${VAR} or ${VAR:-default} filled in and
    paths made absolute."""

    def fill(match: re.Match) -> str:
        value = os.environ.get(match.group(1)) or match.group(2)
        if value is None:
            raise ValueError(f"environment variable {match.group(1)} is not set")
        return value

    reference = _ENV.sub(fill, str(reference))
    if is_database(reference):
        return reference
    path = Path(reference)
    return str(path if path.is_absolute() else (Path(base_dir) / path).resolve())


def is_database(reference: str) -> bool:
    """Tell a PostgreSQL connection URL from a GeoPackage path."""
    return reference.startswith(("postgresql://", "postgres://"))


def open_store(reference: str, base_dir: Path | str = ".") -> Store:
    """Return the (shared, cached) read interface of a store."""
    key = resolve(reference, base_dir)
    store = _STORES.get(key)
    if store is None:
        if is_database(key):
            from .postgis import PostGISStore

            store = PostGISStore(key)
        else:
            from .gpkg_read import GeoPackageStore

            store = GeoPackageStore(Path(key))
        _STORES[key] = store
    return store


def release(reference: str, base_dir: Path | str = ".") -> None:
    """Close and forget this process's reader of a store.

    GDAL writes GeoPackages with a SQLite library of its own; two SQLite libraries
    must not hold the same file open in one process, so publishing releases the
    reader before it writes.
    """
    store = _STORES.pop(resolve(reference, base_dir), None)
    if store is not None:
        store.close()


def open_writer(reference: str, base_dir: Path | str = ".") -> StoreWriter:
    """Return the write interface of a store, for publishing."""
    key = resolve(reference, base_dir)
    if is_database(key):
        from .postgis import PostGISWriter

        return PostGISWriter(key)
    from .gpkg_write import GeoPackageWriter

    return GeoPackageWriter(Path(key))
