"""Snap geometries in tile units to the integer grid, as MVT paths.

Repeated points are dropped, rings and lines that collapse go, and rings are
wound as MVT 2.1 wants; all on whole arrays.
"""

from __future__ import annotations

import numpy as np
import shapely

from .paths import LINESTRING, POINT, POLYGON, Paths


def points(parts: np.ndarray, owners: np.ndarray) -> Paths:
    """Snap points; every point of a feature forms one path."""
    coords = np.rint(shapely.get_coordinates(parts)).astype(np.int64)
    features, lengths = np.unique(owners, return_counts=True)
    return Paths(POINT, coords, lengths, features)


def lines(parts: np.ndarray, owners: np.ndarray) -> Paths:
    """Snap lines, dropping repeated points and lines that collapse to one."""
    coords, index = shapely.get_coordinates(parts, return_index=True)
    points, path = _dedupe(np.rint(coords).astype(np.int64), index)
    lengths = np.bincount(path, minlength=len(parts))
    keep = lengths >= 2
    return Paths(LINESTRING, points[keep[path]], lengths[keep], owners[keep])


def polygons(
    coords: np.ndarray,
    ring_offsets: np.ndarray,
    poly_offsets: np.ndarray,
    owners: np.ndarray,
    min_area: float,
) -> Paths:
    """Snap polygons given as ragged arrays in tile units, orienting their rings."""
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
