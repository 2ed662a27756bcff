"""Vector tiles: tile matrix sets, geometry into tile space, MVT encoding."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TileOptions:
    """How a collection's tiles are made; the defaults suit most layers."""

    #: Tile units across a tile (MVT 2.1, 4.3.1); 4096 is what clients expect.
    extent: int = 4096
    #: Tile units drawn beyond each edge, so strokes do not stop at tile seams.
    buffer: int = 64
    #: Douglas-Peucker tolerance in tile units: generalises per zoom level.
    tolerance: float = 1.0
    #: Polygons smaller than this many square tile units are left out, so low
    #: zooms do not carry thousands of invisible specks.
    min_area: float = 4.0
    #: The attributes written into tiles; None means every field of the layer.
    fields: tuple[str, ...] | None = None
    #: The layer name inside the tile.
    layer_name: str = "default"
