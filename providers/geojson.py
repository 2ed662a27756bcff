"""Shapely geometries to GeoJSON geometry objects, a whole page at a time.

Going through ragged coordinate arrays costs a fraction of writing and parsing
one GeoJSON text per feature.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import orjson
import shapely

#: shapely type ids -> GeoJSON type names, for the types of one coordinate array.
NAMES = {
    0: "Point",
    1: "LineString",
    3: "Polygon",
    4: "MultiPoint",
    5: "MultiLineString",
    6: "MultiPolygon",
}


def to_geojson(geoms: np.ndarray) -> list[dict[str, Any] | None]:
    """Return one GeoJSON geometry dict (or None) per geometry."""
    out: list[dict[str, Any] | None] = [None] * len(geoms)
    types = shapely.get_type_id(geoms)
    for type_id in np.unique(types):
        if type_id < 0:
            continue
        where = np.nonzero(types == type_id)[0]
        subset = geoms[where]
        if type_id in NAMES and not shapely.is_empty(subset).any():
            name = NAMES[int(type_id)]
            nested = _nested(subset)
            for i, coordinates in zip(where.tolist(), nested, strict=True):
                out[i] = {"type": name, "coordinates": coordinates}
        else:
            texts = shapely.to_geojson(subset)
            parsed = orjson.loads("[" + ",".join(texts) + "]")
            for i, geometry in zip(where.tolist(), parsed, strict=True):
                out[i] = geometry
    return out


def _nested(geoms: np.ndarray) -> list:
    """Return the coordinates of same-typed geometries as nested lists."""
    _, coords, offsets = shapely.to_ragged_array(geoms)
    parts: list = coords.tolist()
    for level in offsets:
        bounds = level.tolist()
        parts = [parts[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
    return parts
