"""Project, generalise, clip and snap geometries into one vector tile.

Every step works on whole arrays (shapely 2 and numpy), not feature by feature.
The result is a set of *paths* in integer tile units, ready for MVT encoding.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from .tilematrix import TileFrame

#: MVT geometry types (Mapbox Vector Tile 2.1, section 4.3.4).
POINT, LINESTRING, POLYGON = 1, 2, 3

#: MVT type by shapely type id of a single part (Point, LineString, LinearRing,
#: Polygon).
_SINGLE = np.array([POINT, LINESTRING, LINESTRING, POLYGON])

#: Geometries with at most this many vertices are not worth simplifying.
_SIMPLE_ENOUGH = 8


@dataclass(frozen=True)
class Paths:
    """Snapped paths of one MVT geometry type; paths of a feature are adjacent."""

    kind: int  # POINT, LINESTRING or POLYGON
    points: np.ndarray  # (n, 2) int64 tile coordinates, closing points left out
    lengths: np.ndarray  # points per path
    owners: np.ndarray  # input feature index per path, non-decreasing


def prepare(
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
    while len(parts) and (shapely.get_type_id(parts) > 3).any():
        nested, index = shapely.get_parts(parts, return_index=True)
        parts, owners = nested, owners[index]
    keep = ~(shapely.is_empty(parts) | shapely.is_missing(parts))
    return parts[keep], owners[keep]


def paths(
    geoms: np.ndarray, frame: TileFrame, tolerance: float, min_area: float = 0.0
) -> list[Paths]:
    """Return the snapped paths of *geoms* (CRS84), one entry per MVT type."""
    parts, owners = prepare(geoms, frame, tolerance)
    if len(parts) == 0:
        return []
    kinds = _SINGLE[shapely.get_type_id(parts)]

    # A feature mixing types (a GeometryCollection) keeps its highest dimension.
    top = np.zeros(owners.max() + 1, dtype=np.int64)
    np.maximum.at(top, owners, kinds)
    result = []
    for kind in (POINT, LINESTRING, POLYGON):
        chosen = (kinds == kind) & (top[owners] == kind)
        if chosen.any():
            if kind == POLYGON:
                result.append(_polygons(parts[chosen], owners[chosen], min_area))
            else:
                result.append(_SNAP[kind](parts[chosen], owners[chosen]))
    return [p for p in result if len(p.lengths)]


def _points(parts: np.ndarray, owners: np.ndarray) -> Paths:
    """Snap points; every point of a feature forms one path."""
    coords = np.rint(shapely.get_coordinates(parts)).astype(np.int64)
    features, lengths = np.unique(owners, return_counts=True)
    return Paths(POINT, coords, lengths, features)


def _lines(parts: np.ndarray, owners: np.ndarray) -> Paths:
    """Snap lines, dropping repeated points and lines that collapse to one."""
    coords, index = shapely.get_coordinates(parts, return_index=True)
    points, path = _dedupe(np.rint(coords).astype(np.int64), index)
    lengths = np.bincount(path, minlength=len(parts))
    keep = lengths >= 2
    return Paths(LINESTRING, points[keep[path]], lengths[keep], owners[keep])


def _polygons(parts: np.ndarray, owners: np.ndarray, min_area: float) -> Paths:
    """Snap polygons, dropping collapsed rings and orienting them for MVT."""
    _, coords, (ring_offsets, poly_offsets) = shapely.to_ragged_array(
        parts, include_z=False
    )
    ring_sizes = np.diff(ring_offsets)
    ring = np.repeat(np.arange(len(ring_sizes)), ring_sizes)

    # The closing point repeats the first: leave it out (ClosePath draws it).
    closing = np.zeros(len(coords), dtype=bool)
    closing[ring_offsets[1:] - 1] = True
    points, ring = _dedupe(np.rint(coords[~closing]).astype(np.int64), ring[~closing])
    points, ring = _unwrap(points, ring)
    lengths = np.bincount(ring, minlength=len(ring_sizes))
    area = _area(points, ring, lengths)

    # MVT 2.1, 4.3.4.4: exterior rings have positive area in tile space (y down,
    # so clockwise on screen) and interior rings negative; a polygon whose
    # exterior collapses is dropped with its holes.
    poly = np.repeat(np.arange(len(poly_offsets) - 1), np.diff(poly_offsets))
    exterior = np.arange(len(ring_sizes)) == poly_offsets[poly]
    alive = (lengths >= 3) & (np.abs(area) >= max(2 * min_area, 1))
    alive &= alive[poly_offsets[poly]]
    flip = alive & (exterior != (area > 0))
    points = points[_reversal(ring, lengths, flip)]
    return Paths(POLYGON, points[alive[ring]], lengths[alive], owners[poly[alive]])


def _dedupe(points: np.ndarray, path: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Drop points equal to the one before them on the same path."""
    keep = np.ones(len(points), dtype=bool)
    keep[1:] = (points[1:] != points[:-1]).any(axis=1) | (path[1:] != path[:-1])
    return points[keep], path[keep]


def _unwrap(points: np.ndarray, ring: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Drop a ring's last point when snapping made it equal to its first."""
    if len(points) == 0:
        return points, ring
    last = np.flatnonzero(np.r_[ring[1:] != ring[:-1], True])
    first = np.r_[0, last[:-1] + 1]
    same = (points[last] == points[first]).all(axis=1) & (last > first)
    keep = np.ones(len(points), dtype=bool)
    keep[last[same]] = False
    return points[keep], ring[keep]


def _area(points: np.ndarray, ring: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Return twice the signed area of every ring (surveyor's formula)."""
    starts = np.cumsum(lengths) - lengths
    following = np.arange(1, len(points) + 1)
    ends = starts + lengths - 1
    following[ends[lengths > 0]] = starts[lengths > 0]
    x, y = points[:, 0], points[:, 1]
    cross = x * y[following] - x[following] * y
    return np.bincount(ring, weights=cross, minlength=len(lengths))


def _reversal(ring: np.ndarray, lengths: np.ndarray, flip: np.ndarray) -> np.ndarray:
    """Return the point order that reverses the rings marked in *flip*."""
    order = np.arange(len(ring))
    starts = np.cumsum(lengths) - lengths
    moved = flip[ring]
    r = ring[moved]
    order[moved] = 2 * starts[r] + lengths[r] - 1 - order[moved]
    return order


_SNAP = {POINT: _points, LINESTRING: _lines}
