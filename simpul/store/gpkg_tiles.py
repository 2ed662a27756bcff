"""Vector tiles from the GeoPackage store: R-tree lookup, then one columnar read.

The tile's buffered envelope, in the storage CRS, selects candidates through
the layer's R-tree; the rows come back as columns so that decoding, clipping,
snapping and encoding run on whole arrays (see simpul.tiles).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from simpul.tiles import TileOptions
from simpul.tiles.fromrows import tile_fields
from simpul.tiles.render import render
from simpul.tiles.tilematrix import TileFrame, frame

from . import geometry as gpb
from .base import Layer, StoreError

if TYPE_CHECKING:
    from .gpkg_read import GeoPackageStore

#: Header flags of a little-endian blob with an XY envelope, which the writer
#: always produces: its WKB starts 40 bytes in.
_XY_ENVELOPE, _XY_HEADER = 0x03, 40


def gpkg_tile(
    store: GeoPackageStore,
    layer: Layer,
    tms_id: str,
    z: int,
    x: int,
    y: int,
    options: TileOptions,
) -> bytes | None:
    """Return tile z/x/y of *layer*, or None when no feature shows in it."""
    if layer.geometry_column is None:
        return None
    area = frame(tms_id, z, x, y, options.extent, options.buffer)
    names = tile_fields(layer, options)
    columns = _read(store, layer, area, names, options.min_area)
    ids, blobs = columns[0], columns[1]
    return render(
        area,
        options,
        [_wkb(b) for b in blobs],
        ids,
        dict(zip(names, columns[2:], strict=True)),
        {f.name: f.type for f in layer.fields},
        layer.pk,
    )


def _read(
    store: GeoPackageStore,
    layer: Layer,
    area: TileFrame,
    names: Sequence[str],
    min_area: float,
) -> list[Sequence[Any]]:
    """Return the id, geometry and *names* columns of the R-tree candidates."""
    ident = store.dialect.ident
    table, geom = ident(layer.table), ident(layer.geometry_column or "")
    rtree = ident(f"rtree_{layer.table}_{layer.geometry_column}")
    selected = ", ".join([ident(layer.pk), geom, *map(ident, names)])
    west, south, east, north = area.storage_bbox
    params: list[float] = [east, west, north, south]
    speck = ""
    if layer.geometry_type in ("Polygon", "MultiPolygon") and min_area > 0:
        # A polygon is no larger than its envelope: skip those too small to draw
        # before reading them (half the limit, for the skew of the projection).
        speck = " AND (maxx - minx) * (maxy - miny) >= ?"
        params.append(0.5 * min_area / area.square_units_per_square_degree())
    sql = (
        f"SELECT {selected} FROM {table} WHERE {ident(layer.pk)} IN "
        f"(SELECT id FROM {rtree} "
        f"WHERE minx <= ? AND maxx >= ? AND miny <= ? AND maxy >= ?{speck})"
    )
    try:
        rows = store.connection().execute(sql, params).fetchall()
    except sqlite3.OperationalError as err:
        raise StoreError(f"the store could not answer: {err}") from err
    if not rows:
        return [[] for _ in range(2 + len(names))]
    return list(zip(*rows, strict=True))


def _wkb(blob: bytes | None) -> bytes | None:
    """Return the WKB inside a GeoPackage blob, fast for the writer's layout."""
    if blob is not None and blob[3] == _XY_ENVELOPE:
        return blob[_XY_HEADER:]
    return gpb.to_wkb(blob)
