"""pygeoapi feature provider over the node's store (GeoPackage or PostGIS).

pygeoapi builds a provider for every request, so everything costly (the store's
connections, the layer's schema, CRS transformers) is cached outside the instance.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import shapely
from pygeoapi.provider.base import (
    BaseProvider,
    ProviderConnectionError,
    ProviderInvalidQueryError,
    ProviderItemNotFoundError,
)

from simpul.store.base import (
    FieldType,
    Layer,
    LayerChanged,
    LayerNotFound,
    Query,
    QueryError,
    StoreError,
)

from .crs import storage_crs, transformer_for
from .errors import provider_error
from .geojson import to_geojson
from .store import store_for

LOGGER = logging.getLogger(__name__)

JSON_TYPES = {
    FieldType.INTEGER: {"type": "integer"},
    FieldType.NUMBER: {"type": "number"},
    FieldType.STRING: {"type": "string"},
    FieldType.BOOLEAN: {"type": "boolean"},
    FieldType.DATE: {"type": "string", "format": "date"},
    FieldType.DATETIME: {"type": "string", "format": "date-time"},
    FieldType.BINARY: {"type": "string", "format": "binary"},
}


class FeatureProvider(BaseProvider):
    """OGC API - Features (Parts 1, 2 and 3) over one layer of a store."""

    def __init__(self, provider_def: dict) -> None:
        # BaseProvider.__init__ parses the storage CRS on every request; the same
        # attributes are set here from caches instead.
        self.name = provider_def["name"]
        self.type = provider_def["type"]
        self.data = provider_def["data"]
        self.table = provider_def.get("table") or provider_def.get("id")
        self.editable = False
        self.count = True
        self.options = provider_def.get("options")
        self.id_field = provider_def.get("id_field", "fid")
        self.uri_field = None
        self.x_field = self.y_field = self.z_field = None
        self.time_field = provider_def.get("time_field")
        self.title_field = provider_def.get("title_field")
        self.properties = provider_def.get("properties", [])
        self.file_types = []
        self.include_extra_query_parameters = False
        self.filename = None
        self.storage_crs = storage_crs(provider_def.get("storage_crs"))
        self.axes, self.crs, self.num_bands = [], None, None
        self.store = store_for(self.data)
        self._fields = self.get_fields()

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
            raise provider_error(err) from err

    def get_fields(self) -> dict[str, dict]:
        """Return the layer's attributes as JSON Schema types."""
        return {f.name: dict(JSON_TYPES[f.type]) for f in self.layer.fields}

    def query(
        self,
        offset: int = 0,
        limit: int = 10,
        resulttype: str = "results",
        bbox: list | None = None,
        datetime_: str | None = None,
        properties: list | None = None,
        sortby: list | None = None,
        select_properties: list | None = None,
        skip_geometry: bool = False,
        q: str | None = None,
        filterq: Any = None,
        crs_transform_spec: Any = None,
        **kwargs: Any,
    ) -> dict:
        """Return a GeoJSON FeatureCollection of one page of matching features."""
        query = Query(
            bbox=bbox or None,
            filter=filterq,
            equals=list(properties or []),
            datetime=datetime_,
            time_field=self.time_field,
            q=[t for t in re.split(r"[\s,]+", q or "") if t],
            sortby=[(s["property"], s.get("order", "+") != "-") for s in sortby or []],
            select=list(select_properties or []) or None,
            skip_geometry=skip_geometry,
            offset=offset,
            limit=limit,
        )
        try:
            layer, matched, rows = self._read(query, resulttype == "hits")
        except QueryError as err:
            raise ProviderInvalidQueryError(user_msg=str(err)) from err
        except StoreError as err:
            raise provider_error(err) from err
        features = self._features(layer, rows, crs_transform_spec, skip_geometry)
        return {
            "type": "FeatureCollection",
            "features": features,
            "numberMatched": matched.count,
            "numberReturned": len(features),
        } | ({} if matched.exact else {"numberMatchedEstimated": True})

    def _read(self, query: Query, hits: bool) -> tuple[Layer, Any, list]:
        """Count and read a page, again once if the layer was swapped meanwhile."""
        for attempt in (1, 2):
            layer = self.layer
            try:
                matched = self.store.matched(layer, query)
                rows = [] if hits else list(self.store.features(layer, query))
                return layer, matched, rows
            except LayerChanged:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def get(
        self, identifier: Any, crs_transform_spec: Any = None, **kwargs: Any
    ) -> dict:
        """Return one feature by id; raise ProviderItemNotFoundError when absent."""
        layer = self.layer
        try:
            row = self.store.feature(layer, str(identifier))
        except StoreError as err:
            raise provider_error(err) from err
        if row is None:
            raise ProviderItemNotFoundError(user_msg=f"no item {identifier!r} here")
        return self._features(layer, [row], crs_transform_spec, False)[0]

    def _features(
        self, layer: Layer, rows: list, crs_transform_spec: Any, skip_geometry: bool
    ) -> list[dict]:
        booleans = [f.name for f in layer.fields if f.type is FieldType.BOOLEAN]
        geometries: list[Any] = [None] * len(rows)
        if not skip_geometry and layer.geometry_column:
            geoms = shapely.from_wkb([r.wkb for r in rows])
            if crs_transform_spec is not None:
                geoms = transformer_for(crs_transform_spec)(geoms)
            geometries = to_geojson(geoms)
        features = []
        for row, geometry in zip(rows, geometries, strict=True):
            props = row.properties
            for name in booleans:
                if props.get(name) is not None:
                    props[name] = bool(props[name])
            features.append(
                {
                    "type": "Feature",
                    "id": row.id,
                    "geometry": geometry,
                    "properties": props,
                }
            )
        return features

    def __repr__(self) -> str:
        return f"<FeatureProvider {self.data}#{self.table}>"
