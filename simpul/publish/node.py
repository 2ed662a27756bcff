"""Node-wide operations around publishing: unpublish, list, OpenAPI regeneration."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from simpul.publish import config
from simpul.publish.records import remove_record
from simpul.publish.report import PublishError
from simpul.store import is_database, open_store, open_writer, resolve
from simpul.store.base import LayerNotFound, Store, StoreError
from simpul.store.gpkg_read import GeoPackageStore
from simpul.tiles.cache import cache_root, remove_collection

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Listed:
    """One dataset as `simpul list` shows it."""

    name: str
    count: int | None  # None when the layer is missing from the store
    geometry_type: str | None
    configured: bool


def unpublish(config_path: Path, name: str, store: str | None = None) -> bool:
    """Remove *name* from the config, then drop its layer; True if it existed."""
    doc = config.load(config_path)
    reference = config.store_reference(doc, store)
    configured = name in config.resources(doc)
    served_from = _tile_store(config.resources(doc).get(name)) or reference
    if configured:
        with config.editing(config_path) as doc:
            config.resources(doc).pop(name, None)

    try:
        writer = open_writer(config.expand(reference), config_path.parent)
        writer.drop_layer(name)
    except LayerNotFound:
        if not configured:
            raise PublishError(f"no dataset named {name} is published.") from None
        logger.warning("%s was configured but not in the store", name)
    except (StoreError, ValueError) as exc:
        raise PublishError(
            f"{name} could not be dropped from "
            f"{config.without_password(reference)}: {exc}."
        ) from None
    remove_record(config_path, name)
    try:
        root = cache_root(config.expand(served_from), config_path.parent)
    except (PublishError, ValueError):
        logger.warning("the tile cache of %s was not found; left as it is", name)
    else:
        remove_collection(root, name)
    return True


def _tile_store(entry: object) -> str | None:
    """Return the store reference of a collection entry's tile provider."""
    providers = entry.get("providers", []) if isinstance(entry, dict) else []
    for provider in providers:
        if isinstance(provider, dict) and provider.get("type") == "tile":
            return str(provider.get("data") or "") or None
    return None


def datasets(config_path: Path, store: str | None = None) -> list[Listed]:
    """Return the store's layers and the configured collections, side by side."""
    doc = config.load(config_path)
    reference = config.store_reference(doc, store)
    configured = {
        name
        for name, entry in config.resources(doc).items()
        if any(p.get("type") == "feature" for p in (entry or {}).get("providers", []))
    }
    try:
        layers = open_store(config.expand(reference), config_path.parent).layers()
    except StoreError as exc:
        raise PublishError(
            f"the store {config.without_password(reference)} cannot be read: {exc}."
        ) from None

    listed = [
        Listed(layer.name, layer.count, layer.geometry_type, layer.name in configured)
        for layer in layers
    ]
    stored = {layer.name for layer in layers}
    listed += [Listed(n, None, None, True) for n in sorted(configured - stored)]
    return listed


def is_empty(config_path: Path, store: str | None = None) -> bool:
    """Tell whether the store has no layers yet (or does not exist)."""
    doc = config.load(config_path)
    reference = config.expand(config.store_reference(doc, store))
    try:
        return not transient_store(reference, config_path.parent).layers()
    except StoreError:
        return True


def transient_store(reference: str, base_dir: Path) -> Store:
    """Return a read store that is closed once dropped, not cached.

    GDAL writes GeoPackages with its own SQLite library; a connection of
    Python's sqlite3 left open across such a write in the same process then
    reads a stale, "malformed" file. Publishing processes read only this way.
    """
    resolved = resolve(reference, base_dir)
    if is_database(resolved):
        return open_store(resolved)
    return GeoPackageStore(Path(resolved))


def regenerate_openapi(config_path: Path) -> Path:
    """Write the OpenAPI document for the current config; return its path."""
    from simpul.openapi import write_openapi

    target = config.openapi_path(config_path)
    try:
        return write_openapi(config_path, target)
    except Exception as exc:
        logger.debug("OpenAPI generation failed", exc_info=True)
        raise PublishError(
            f"the OpenAPI document {target} could not be regenerated ({exc}); "
            "the data itself is published: run `simpul openapi` once fixed."
        ) from None
