"""What the node knows about a dataset from the data itself."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from pygeofilter import ast

from simpul.store import open_store
from simpul.store.base import Layer, Query, StoreError

LOGGER = logging.getLogger(__name__)

#: ISO 19115 MD_GeometricObjectTypeCode of each OGC geometry type.
GEOMETRIC_OBJECTS = {
    "Point": "point",
    "MultiPoint": "point",
    "LineString": "curve",
    "MultiLineString": "curve",
    "Polygon": "surface",
    "MultiPolygon": "surface",
}


@dataclass(frozen=True)
class Derived:
    """Extent, reference system, counts, schema and dates of one published layer."""

    name: str
    bbox: tuple[float, float, float, float] | None
    epsg: int
    count: int
    geometry_type: str
    attributes: tuple[tuple[str, str], ...]
    time_begin: str | None
    time_end: str | None
    published: str

    @property
    def geometric_object(self) -> str:
        """Return the ISO geometric object type of the layer."""
        return GEOMETRIC_OBJECTS.get(self.geometry_type, "composite")


def derive(
    name: str, layer: Layer, resource: dict[str, Any], store_base: str
) -> Derived:
    """Return what *layer* says about itself; *store_base* resolves relative stores."""
    provider = (resource.get("providers") or [{}])[0]
    time_field = provider.get("time_field")
    begin, end = (None, None)
    if time_field:
        begin, end = time_range(provider.get("data"), store_base, layer, time_field)
    return Derived(
        name=name,
        bbox=tuple(layer.extent) if layer.extent else _resource_bbox(resource),
        epsg=4326,
        count=layer.count,
        geometry_type=layer.geometry_type,
        attributes=tuple((f.name, str(f.type)) for f in layer.fields),
        time_begin=begin,
        time_end=end,
        published=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
    )


def time_range(
    reference: str | None, base: str, layer: Layer, field: str
) -> tuple[str | None, str | None]:
    """Return the earliest and latest value of the layer's time field."""
    if not reference:
        return None, None
    try:
        store = open_store(reference, base)
        return tuple(_extreme(store, layer, field, asc) for asc in (True, False))
    except (StoreError, ValueError) as err:
        LOGGER.warning("Cannot read the time range of %s: %s", layer.name, err)
        return None, None


def _extreme(store: Any, layer: Layer, field: str, ascending: bool) -> str | None:
    """Return the first non-null value of *field* in the given order."""
    query = Query(
        filter=ast.IsNull(ast.Attribute(field), True),
        sortby=[(field, ascending)],
        select=[field],
        skip_geometry=True,
        limit=1,
    )
    for row in store.features(layer, query):
        value = row.properties.get(field)
        return value.isoformat() if hasattr(value, "isoformat") else value
    return None


def _resource_bbox(resource: dict[str, Any]) -> tuple[float, float, float, float]:
    """Return the bbox advertised in the collection entry."""
    bbox = ((resource.get("extents") or {}).get("spatial") or {}).get("bbox")
    return tuple(bbox) if bbox else (-180.0, -90.0, 180.0, 90.0)
