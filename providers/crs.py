"""CRS objects and coordinate transformers, built once and reused."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np
import pyproj
import shapely
from pygeoapi.crs import DEFAULT_STORAGE_CRS, get_crs


@functools.lru_cache(maxsize=64)
def storage_crs(uri: str | None) -> pyproj.CRS:
    """Return the pyproj CRS of a storage CRS URI."""
    return get_crs(uri or DEFAULT_STORAGE_CRS)


@functools.lru_cache(maxsize=64)
def pipeline(source: pyproj.CRS, target: pyproj.CRS, always_xy: bool) -> str:
    """Return the PROJ pipeline pyproj chooses from *source* to *target*.

    Choosing it searches PROJ's database: seconds for the DGN95 and SRGI2013
    datums. A transformer made by ``from_crs`` repeats that search in every
    thread that uses it (pyproj copies transformers per thread), so the choice is
    made once here and transformers are built from its pipeline, in milliseconds.
    """
    return pyproj.Transformer.from_crs(source, target, always_xy=always_xy).definition


def fast_transformer(
    source: pyproj.CRS, target: pyproj.CRS, always_xy: bool
) -> pyproj.Transformer:
    """Return a transformer from *source* to *target* that is cheap in any thread."""
    return pyproj.Transformer.from_pipeline(pipeline(source, target, always_xy))


@functools.lru_cache(maxsize=64)
def _transformer(source_wkt: str, target_wkt: str, always_xy: bool) -> Callable:
    transformer = fast_transformer(
        pyproj.CRS.from_wkt(source_wkt),
        pyproj.CRS.from_wkt(target_wkt),
        always_xy,
    )

    def coords(xy: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return lambda geoms: shapely.transform(geoms, coords)


def transformer_for(spec: Any) -> Callable:
    """Return a function reprojecting an array of geometries as *spec* asks.

    The target's axis order is the one its authority defines (EPSG:4326 is
    latitude first), as OGC API - Features Part 2 requires.
    """
    return _transformer(spec.source_crs_wkt, spec.target_crs_wkt, spec.always_xy)
