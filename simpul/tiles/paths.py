"""Snapped paths: what the MVT encoder draws, one MVT geometry type at a time."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: MVT geometry types (Mapbox Vector Tile 2.1, section 4.3.4).
POINT, LINESTRING, POLYGON = 1, 2, 3


@dataclass(frozen=True)
class Paths:
    """Snapped paths of one MVT geometry type; paths of a feature are adjacent."""

    kind: int  # POINT, LINESTRING or POLYGON
    points: np.ndarray  # (n, 2) int64 tile coordinates, closing points left out
    lengths: np.ndarray  # points per path
    owners: np.ndarray  # input feature index per path
