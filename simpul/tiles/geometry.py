"""Project, generalise, clip and snap geometries into one vector tile.

Every step works on whole arrays (shapely 2 and numpy), not feature by feature.
Small polygons lying inside the tile, the bulk of a dense layer, skip GEOS and
go from their coordinates straight to snapping; the rest are simplified and
clipped first. The result is a set of *paths* in integer tile units.
"""

from __future__ import annotations

import numpy as np
import shapely

from . import snap
from .paths import LINESTRING, POINT, POLYGON, Paths
from .tilematrix import TileFrame

#: MVT type by shapely type id of a single part (Point, LineString, LinearRing,
#: Polygon).
_SINGLE = np.array([POINT, LINESTRING, LINESTRING, POLYGON])

#: Geometries with at most this many vertices are not worth simplifying.
_SIMPLE_ENOUGH = 8
_POLYGON_TYPE_ID = 3


def paths(
    geoms: np.ndarray, frame: TileFrame, tolerance: float, min_area: float = 0.0
) -> list[Paths]:
    """Return the snapped paths of *geoms* (CRS84), one or more per MVT type."""
    direct = _plain_polygons(geoms, frame)
    result = []
    if direct.any():
        _, coords, (rings, polys) = shapely.to_ragged_array(
            geoms[direct], include_z=False
        )
        owners = np.flatnonzero(direct)
        tile = frame.to_tile(coords)
        result.append(snap.polygons(tile, rings, polys, owners, min_area))
    rest = np.flatnonzero(~direct)
    if len(rest):
        result += _general(geoms[rest], rest, frame, tolerance, min_area)
    return [p for p in result if len(p.lengths)]


def _plain_polygons(geoms: np.ndarray, frame: TileFrame) -> np.ndarray:
    """Mark simple polygons that need neither simplifying nor clipping."""
    simple = shapely.get_type_id(geoms) == _POLYGON_TYPE_ID
    simple &= shapely.get_num_coordinates(geoms) <= _SIMPLE_ENOUGH
    if not simple.any():
        return simple
    bounds = shapely.bounds(geoms[simple])
    corners = frame.to_tile(np.vstack([bounds[:, [0, 3]], bounds[:, [2, 1]]]))
    top_left, bottom_right = np.split(corners, 2)
    low, high = -frame.buffer, frame.extent + frame.buffer
    inside = (top_left >= low).all(axis=1) & (bottom_right <= high).all(axis=1)
    simple[np.flatnonzero(simple)[~inside]] = False
    return simple


def _general(
    geoms: np.ndarray,
    owners: np.ndarray,
    frame: TileFrame,
    tolerance: float,
    min_area: float,
) -> list[Paths]:
    """Return the paths of any geometries, clipped and simplified in GEOS."""
    parts, index = _prepare(geoms, frame, tolerance)
    if len(parts) == 0:
        return []
    owners = owners[index]
    kinds = _SINGLE[shapely.get_type_id(parts)]

    # A feature mixing types (a GeometryCollection) keeps its highest dimension.
    top = np.zeros(owners.max() + 1, dtype=np.int64)
    np.maximum.at(top, owners, kinds)
    result = []
    for kind in (POINT, LINESTRING, POLYGON):
        chosen = (kinds == kind) & (top[owners] == kind)
        if not chosen.any():
            continue
        if kind == POLYGON:
            _, coords, (rings, polys) = shapely.to_ragged_array(
                parts[chosen], include_z=False
            )
            result.append(snap.polygons(coords, rings, polys, owners[chosen], min_area))
        elif kind == LINESTRING:
            result.append(snap.lines(parts[chosen], owners[chosen]))
        else:
            result.append(snap.points(parts[chosen], owners[chosen]))
    return result


def _prepare(
    geoms: np.ndarray, frame: TileFrame, tolerance: float
) -> tuple[np.ndarray, np.ndarray]:
    """Return single parts in tile units, clipped and simplified, with owners."""
    geoms = shapely.transform(geoms, frame.to_tile)
    if tolerance > 0:
        big = shapely.get_num_coordinates(geoms) > _SIMPLE_ENOUGH
        big &= shapely.get_dimensions(geoms) > 0
        geoms[big] = shapely.simplify(geoms[big], tolerance, preserve_topology=False)

    # Only geometries reaching past the buffer pay for clipping.
    low, high = -frame.buffer, frame.extent + frame.buffer
    bounds = shapely.bounds(geoms)
    outside = (bounds[:, :2] < low).any(axis=1) | (bounds[:, 2:] > high).any(axis=1)
    geoms[outside] = shapely.clip_by_rect(geoms[outside], low, low, high, high)

    parts, owners = geoms, np.arange(len(geoms))
    while len(parts) and (shapely.get_type_id(parts) > _POLYGON_TYPE_ID).any():
        nested, index = shapely.get_parts(parts, return_index=True)
        parts, owners = nested, owners[index]
    keep = ~(shapely.is_empty(parts) | shapely.is_missing(parts))
    return parts[keep], owners[keep]
