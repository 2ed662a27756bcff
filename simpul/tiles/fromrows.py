"""Tiles for any store, from the rows its envelope lookup returns."""

from __future__ import annotations

from simpul.store.base import FieldType, Layer, Store

from . import TileOptions
from .render import render
from .tilematrix import frame


def tile_fields(layer: Layer, options: TileOptions) -> list[str]:
    """Return the layer's attributes a tile carries, in the layer's order."""
    wanted = None if options.fields is None else set(options.fields)
    return [
        f.name
        for f in layer.fields
        if (wanted is None or f.name in wanted) and f.type is not FieldType.BINARY
    ]


def tile_from_rows(
    store: Store,
    layer: Layer,
    tms_id: str,
    z: int,
    x: int,
    y: int,
    options: TileOptions,
) -> bytes | None:
    """Return tile z/x/y of *layer* built from ``store.envelope_rows``."""
    area = frame(tms_id, z, x, y, options.extent, options.buffer)
    names = tile_fields(layer, options)
    rows = list(store.envelope_rows(layer, area.storage_bbox, names))
    columns = {n: [r.properties.get(n) for r in rows] for n in names}
    return render(
        area,
        options,
        [r.wkb for r in rows],
        [r.id for r in rows],
        columns,
        {f.name: f.type for f in layer.fields},
        layer.pk,
    )
