"""Tile matrix sets (OGC 17-083r4) from morecantile, and one tile's frame.

A frame maps storage coordinates (CRS84 longitude, latitude) into the integer
space of one vector tile: x to the right, y down, 0..extent inside the tile.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import morecantile
import numpy as np
import pyproj

from simpul.store.base import STORAGE_CRS

#: The tile matrix sets the node serves, by tileMatrixSetId.
TILE_MATRIX_SETS = ("WebMercatorQuad", "WorldCRS84Quad")


class UnknownTileMatrixSet(KeyError):
    """The node serves no tile matrix set of that id."""


@functools.cache
def tile_matrix_set(tms_id: str) -> morecantile.TileMatrixSet:
    """Return the definition of *tms_id*; raise UnknownTileMatrixSet."""
    if tms_id not in TILE_MATRIX_SETS:
        raise UnknownTileMatrixSet(tms_id)
    return morecantile.tms.get(tms_id)


@functools.cache
def _to_tms_crs(tms_id: str) -> pyproj.Transformer:
    """Return the transformer from the storage CRS to the CRS of *tms_id*."""
    crs = tile_matrix_set(tms_id).crs._pyproj_crs
    return pyproj.Transformer.from_crs(STORAGE_CRS, crs, always_xy=True)


@functools.lru_cache(maxsize=4096)
def matrix_limits(
    tms_id: str, z: int, extent: tuple[float, float, float, float] | None
) -> tuple[int, int, int, int]:
    """Return min row, max row, min column, max column of tiles over *extent*."""
    tms = tile_matrix_set(tms_id)
    matrix = tms.matrix(z)
    if extent is None:
        return 0, matrix.matrixHeight - 1, 0, matrix.matrixWidth - 1
    west, south, east, north = extent
    top_left = tms.tile(west, north, z)
    bottom_right = tms.tile(east, south, z)
    last_row, last_col = matrix.matrixHeight - 1, matrix.matrixWidth - 1
    return (
        min(max(top_left.y, 0), last_row),
        min(max(bottom_right.y, 0), last_row),
        min(max(top_left.x, 0), last_col),
        min(max(bottom_right.x, 0), last_col),
    )


#: The sphere of Web Mercator (EPSG:3857), and the latitude where its square ends.
_RADIUS, _MAX_LAT = 6378137.0, 85.0511287798066


def _project(tms_id: str, coords: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return CRS84 *coords* in the CRS of *tms_id*, by formula where one exists."""
    if tms_id == "WorldCRS84Quad":
        return coords[:, 0], coords[:, 1]
    if tms_id == "WebMercatorQuad":
        lat = np.radians(np.clip(coords[:, 1], -_MAX_LAT, _MAX_LAT))
        x = _RADIUS * np.radians(coords[:, 0])
        return x, _RADIUS * np.log(np.tan(np.pi / 4 + lat / 2))
    return _to_tms_crs(tms_id).transform(coords[:, 0], coords[:, 1])


def in_limits(
    tms_id: str,
    z: int,
    x: int,
    y: int,
    zooms: tuple[int, int],
    extent: tuple[float, float, float, float] | None = None,
) -> bool:
    """Tell whether tile z/x/y is inside the tileset's tile matrix limits."""
    tms = tile_matrix_set(tms_id)
    if not zooms[0] <= z <= min(zooms[1], tms.maxzoom):
        return False
    min_row, max_row, min_col, max_col = matrix_limits(tms_id, z, extent)
    return min_row <= y <= max_row and min_col <= x <= max_col


@dataclass(frozen=True)
class TileFrame:
    """Where one tile lies, in the TMS CRS and in the storage CRS."""

    tms_id: str
    z: int
    x: int
    y: int
    extent: int
    buffer: int
    #: left, bottom, right, top of the tile in the TMS CRS.
    xy_bounds: tuple[float, float, float, float]
    #: min lon, min lat, max lon, max lat of the tile and its buffer.
    storage_bbox: tuple[float, float, float, float]

    def square_units_per_square_degree(self) -> float:
        """Return about how many square tile units one square degree covers here."""
        west, south, east, north = self.storage_bbox
        across = self.extent + 2 * self.buffer
        return across * across / max((east - west) * (north - south), 1e-300)

    def to_tile(self, coords: np.ndarray) -> np.ndarray:
        """Return CRS84 *coords* (n x 2) in tile units, y down, as floats."""
        if coords.shape[0] == 0:
            return coords
        tx, ty = _project(self.tms_id, coords)
        left, bottom, right, top = self.xy_bounds
        out = np.empty_like(coords)
        out[:, 0] = (np.asarray(tx) - left) * (self.extent / (right - left))
        out[:, 1] = (top - np.asarray(ty)) * (self.extent / (top - bottom))
        return out


def frame(tms_id: str, z: int, x: int, y: int, extent: int, buffer: int) -> TileFrame:
    """Return the frame of tile z/x/y (column x, row y, no TMS flip)."""
    origin_x, origin_y, span_x, span_y = _matrix(tms_id, z)
    left, top = origin_x + x * span_x, origin_y - y * span_y
    right, bottom = left + span_x, top - span_y

    # Both sets are separable (each axis maps on its own), so the buffered
    # corners bound the buffered tile in longitude and latitude.
    pad_x, pad_y = span_x * buffer / extent, span_y * buffer / extent
    low_x, low_y, high_x, high_y = _xy_limits(tms_id)
    west, north = _unproject(tms_id, max(left - pad_x, low_x), min(top + pad_y, high_y))
    east, south = _unproject(
        tms_id, min(right + pad_x, high_x), max(bottom - pad_y, low_y)
    )
    return TileFrame(
        tms_id=tms_id,
        z=z,
        x=x,
        y=y,
        extent=extent,
        buffer=buffer,
        xy_bounds=(left, bottom, right, top),
        storage_bbox=(
            max(west, -180.0),
            max(south, -90.0),
            min(east, 180.0),
            min(north, 90.0),
        ),
    )


@functools.lru_cache(maxsize=256)
def _matrix(tms_id: str, z: int) -> tuple[float, float, float, float]:
    """Return the top-left origin and the tile width and height of matrix *z*."""
    matrix = tile_matrix_set(tms_id).matrix(z)
    origin_x, origin_y = matrix.pointOfOrigin
    span_x = matrix.cellSize * matrix.tileWidth
    return origin_x, origin_y, span_x, matrix.cellSize * matrix.tileHeight


@functools.cache
def _xy_limits(tms_id: str) -> tuple[float, float, float, float]:
    """Return the bounds of *tms_id* in its own CRS."""
    return tuple(tile_matrix_set(tms_id).xy_bbox)  # type: ignore[return-value]


def _unproject(tms_id: str, x: float, y: float) -> tuple[float, float]:
    """Return longitude and latitude of a point in the CRS of *tms_id*."""
    if tms_id == "WorldCRS84Quad":
        return x, y
    if tms_id == "WebMercatorQuad":
        lat = np.degrees(np.arctan(np.sinh(y / _RADIUS)))
        return float(np.degrees(x / _RADIUS)), float(lat)
    lon, lat = tile_matrix_set(tms_id).lnglat(x, y)
    return lon, lat
