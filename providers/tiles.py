"""pygeoapi vector tile provider over the node's store, for every collection.

Configured beside the feature provider of a collection (``type: tile``); tiles
are rendered by the store on request (:meth:`simpul.store.base.Store.tile`) and
kept in the node's tile cache, keyed by the layer's version.
"""

from __future__ import annotations

import logging
from typing import Any

from pygeoapi.models.provider.base import TileMatrixSetEnum
from pygeoapi.provider.base import ProviderConnectionError, ProviderInvalidQueryError
from pygeoapi.provider.base_mvt import BaseMVTProvider
from pygeoapi.provider.tile import (
    ProviderTileNotFoundError,
    ProviderTilesetIdNotFoundError,
)

from simpul.store.base import Layer, LayerNotFound, StoreError
from simpul.tiles import TileOptions
from simpul.tiles.cache import CachedTile, TileCache
from simpul.tiles.fromrows import tile_fields
from simpul.tiles.tilematrix import TILE_MATRIX_SETS, UnknownTileMatrixSet, in_limits

from .features import JSON_TYPES
from .store import store_for
from .tilecache import cache_for
from .tiledocs import TilesetRef, tileset_metadata
from .tileset import TilesetSettings, settings_for
from .tilestyle import tilejson

LOGGER = logging.getLogger(__name__)

MVT = {"name": "mvt", "mimetype": "application/vnd.mapbox-vector-tile"}


class TileProvider(BaseMVTProvider):
    """Mapbox Vector Tiles of one layer, generated on the fly and cached."""

    def __init__(self, provider_def: dict) -> None:
        definition = {"format": MVT, "options": {}, **provider_def}
        super().__init__(definition)
        self.table: str = provider_def.get("table") or provider_def["id"]
        self.settings: TilesetSettings = settings_for(definition)
        self.options = self.settings.pygeoapi_options
        self.schemes = list(self.settings.schemes)
        self.store = store_for(self.data)

    def __repr__(self) -> str:
        return f"<TileProvider> {self.table}"

    @property
    def layer(self) -> Layer:
        """The layer as it is published now."""
        try:
            return self.store.layer(self.table)
        except LayerNotFound as err:
            raise ProviderConnectionError(
                f"the dataset {self.table!r} is not in the store"
            ) from err
        except StoreError as err:
            raise ProviderConnectionError(str(err)) from err

    @property
    def tile_options(self) -> TileOptions:
        """How this collection's tiles are made."""
        return self.settings.tile_options(self.table)

    @property
    def cache(self) -> TileCache:
        """The node's tile cache for this provider's store."""
        return cache_for(self.data, self.settings.cache_bytes)

    def get_layer(self) -> str:
        """Return the name of the layer inside the tiles."""
        return self.table

    def get_fields(self) -> dict[str, dict]:
        """Return the attributes tiles carry, as JSON Schema types."""
        layer = self.layer
        types = {f.name: f.type for f in layer.fields}
        names = tile_fields(layer, self.tile_options)
        return {n: dict(JSON_TYPES[types[n]]) for n in names}

    def get_tiling_schemes(self) -> list[Any]:
        """Return pygeoapi's descriptions of the tile matrix sets offered."""
        return [
            e.value for e in TileMatrixSetEnum if e.value.tileMatrixSet in self.schemes
        ]

    def get_tiles_service(
        self,
        baseurl: str | None = None,
        servicepath: str | None = None,
        dirpath: str | None = None,
        tile_type: str | None = None,
    ) -> dict:
        """Return the links of the tiles service."""
        self._service_url = servicepath or ""
        return self.get_tms_links()

    def get_tiles(
        self,
        layer: str | None = None,
        tileset: str | None = None,
        z: Any = None,
        y: Any = None,
        x: Any = None,
        format_: str | None = None,
    ) -> bytes | None:
        """Return the encoded tile, or None when no feature shows in it."""
        return self.tile(tileset or "", *_indexes(z, y, x)).data

    def tile(self, tms_id: str, z: int, y: int, x: int) -> CachedTile:
        """Return the cached or freshly rendered tile z/y/x of *tms_id*."""
        if tms_id not in TILE_MATRIX_SETS or tms_id not in self.schemes:
            raise ProviderTilesetIdNotFoundError()
        layer = self.layer
        try:
            if not in_limits(tms_id, z, x, y, self.settings.zooms, layer.extent):
                raise ProviderTileNotFoundError()
        except UnknownTileMatrixSet as err:
            raise ProviderTilesetIdNotFoundError() from err

        options = self.tile_options
        key = self.cache.key(self.table, layer.version, options, tms_id, z, y, x)
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        try:
            data = self.store.tile(layer, tms_id, z, x, y, options)
        except StoreError as err:
            raise ProviderConnectionError(str(err)) from err
        return self.cache.put(key, data)

    def get_default_metadata(
        self,
        dataset: str,
        server_url: str,
        layer: str | None,
        tileset: str,
        title: str,
        description: str,
        keywords: Any,
        **kwargs: Any,
    ) -> dict:
        """Return the OGC tileset metadata document."""
        ref = TilesetRef(server_url, dataset, title, description)
        return tileset_metadata(self, ref, tileset)

    def get_vendor_metadata(
        self,
        dataset: str,
        server_url: str,
        layer: str | None,
        tileset: str,
        title: str,
        description: str,
        keywords: Any,
        **kwargs: Any,
    ) -> dict:
        """Return the TileJSON 3.0.0 document."""
        return tilejson(
            self, TilesetRef(server_url, dataset, title, description), tileset
        )

    def get_html_metadata(
        self,
        dataset: str,
        server_url: str,
        layer: str | None,
        tileset: str,
        title: str,
        description: str,
        keywords: Any,
        **kwargs: Any,
    ) -> dict:
        """Return what pygeoapi's tileset HTML template shows."""
        url = TilesetRef(server_url, dataset, title, description).tileset_url(tileset)
        return {
            "id": dataset,
            "title": title,
            "tileset": tileset,
            "collections_path": f"{url}/{{tileMatrix}}/{{tileRow}}/{{tileCol}}?f=mvt",
            "json_url": f"{url}?f=json",
        }


def _indexes(z: Any, y: Any, x: Any) -> tuple[int, int, int]:
    """Return the tile indexes as integers; raise a 400 for anything else."""
    try:
        values = int(str(z)), int(str(y)), int(str(x))
    except ValueError as err:
        raise ProviderInvalidQueryError(
            user_msg="tileMatrix, tileRow and tileCol must be integers"
        ) from err
    if min(values) < 0:
        raise ProviderInvalidQueryError(user_msg="tile indexes cannot be negative")
    return values
