"""Render one vector tile from features read in the storage CRS."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import shapely

from simpul.store.base import FieldType

from . import TileOptions
from .attributes import Attributes, attributes
from .geometry import paths
from .layer import encode
from .tilematrix import TileFrame


def render(
    frame: TileFrame,
    options: TileOptions,
    wkb: Sequence[bytes | None],
    ids: Sequence[Any],
    columns: dict[str, Sequence[Any]],
    types: dict[str, FieldType],
    id_name: str,
) -> bytes | None:
    """Return the MVT tile of these features, or None when none is drawn."""
    attrs = attributes(columns, types, len(wkb))
    return render_coded(frame, options, wkb, ids, attrs, id_name)


def render_coded(
    frame: TileFrame,
    options: TileOptions,
    wkb: Sequence[bytes | None],
    ids: Sequence[Any],
    attrs: Attributes,
    id_name: str,
) -> bytes | None:
    """Like :func:`render`, for attributes already coded."""
    if not wkb:
        return None
    geoms = shapely.from_wkb(np.asarray(wkb, dtype=object))
    groups = paths(geoms, frame, options.tolerance, options.min_area)
    if not groups:
        return None
    return encode(options.layer_name, options.extent, groups, attrs, ids, id_name)
