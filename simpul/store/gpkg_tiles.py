"""Vector tiles from the GeoPackage store: R-tree lookup, then one columnar read.

The tile's buffered envelope, in the storage CRS, selects candidates through
the layer's R-tree; the rows come back as columns so that decoding, clipping,
snapping and encoding run on whole arrays (see simpul.tiles).
"""

from __future__ import annotations

import functools
import sqlite3
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from simpul.tiles import TileOptions
from simpul.tiles.dictionary import AttributeDictionary, build
from simpul.tiles.fromrows import tile_fields
from simpul.tiles.render import render_coded
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
    names = tuple(tile_fields(layer, options))
    ids, blobs = _read(store, layer, area, options.min_area)
    if not ids:
        return None
    id_array = np.asarray(ids)
    coded = _dictionary(store, layer, names).for_features(id_array)
    wkb = [_wkb(b) for b in blobs]
    return render_coded(area, options, wkb, id_array, coded, layer.pk)


#: Held while a dictionary is looked up or built: concurrent first requests
#: for a layer wait for one build instead of each reading the whole table.
_DICTIONARY_LOCK = threading.Lock()


def _dictionary(
    store: GeoPackageStore, layer: Layer, names: tuple[str, ...]
) -> AttributeDictionary:
    """Return the coded attributes of one version of a layer (read once)."""
    with _DICTIONARY_LOCK:
        return _build_dictionary(store, layer, names)


@functools.lru_cache(maxsize=16)
def _build_dictionary(
    store: GeoPackageStore, layer: Layer, names: tuple[str, ...]
) -> AttributeDictionary:
    ident = store.dialect.ident
    selected = ", ".join([ident(layer.pk), *map(ident, names)])
    sql = f"SELECT {selected} FROM {ident(layer.table)}"
    rows = _fetch(store, sql, [])
    columns = list(zip(*rows, strict=True)) or [[] for _ in range(len(names) + 1)]
    types = {f.name: f.type for f in layer.fields}
    return build(columns[0], dict(zip(names, columns[1:], strict=True)), types)


def _read(
    store: GeoPackageStore, layer: Layer, area: TileFrame, min_area: float
) -> tuple[Sequence[int], Sequence[bytes | None]]:
    """Return the ids and geometry blobs of the R-tree candidates."""
    ident = store.dialect.ident
    table, geom = ident(layer.table), ident(layer.geometry_column or "")
    rtree = ident(f"rtree_{layer.table}_{layer.geometry_column}")
    west, south, east, north = area.storage_bbox
    params: list[float] = [east, west, north, south]
    speck = ""
    if layer.geometry_type in ("Polygon", "MultiPolygon") and min_area > 0:
        # A polygon is no larger than its envelope: skip those too small to draw
        # before reading them (half the limit, for the skew of the projection).
        speck = " AND (maxx - minx) * (maxy - miny) >= ?"
        params.append(0.5 * min_area / area.square_units_per_square_degree())
    sql = (
        f"SELECT {ident(layer.pk)}, {geom} FROM {table} WHERE {ident(layer.pk)} IN "
        f"(SELECT id FROM {rtree} "
        f"WHERE minx <= ? AND maxx >= ? AND miny <= ? AND maxy >= ?{speck})"
    )
    rows = _fetch(store, sql, params)
    if not rows:
        return [], []
    ids, blobs = zip(*rows, strict=True)
    return ids, blobs


def _fetch(store: GeoPackageStore, sql: str, params: Sequence[Any]) -> list[tuple]:
    """Run a query on the store's connection."""
    try:
        return store.connection().execute(sql, params).fetchall()
    except sqlite3.OperationalError as err:
        raise StoreError(f"the store could not answer: {err}") from err


def _wkb(blob: bytes | None) -> bytes | None:
    """Return the WKB inside a GeoPackage blob, fast for the writer's layout."""
    if blob is not None and blob[3] == _XY_ENVELOPE:
        return blob[_XY_HEADER:]
    return gpb.to_wkb(blob)
