"""A collection's tileset settings, read from its tile provider's options.

options:
  zoom: {min: 0, max: 18}      # tile matrices served; others answer 404
  schemes: [WebMercatorQuad, WorldCRS84Quad]
  properties: [NAMOBJ, FCODE]  # cap the attributes tiles carry
  tolerance: 1.0               # generalisation, in tile units
  buffer: 64                   # tile units drawn beyond each edge
  cache_size_mb: 512           # bound of the node's tile cache
  max_age: 300                 # Cache-Control max-age of tiles, seconds
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any

from pygeoapi.provider.base import ProviderConnectionError

from simpul.tiles import TileOptions
from simpul.tiles.tilematrix import TILE_MATRIX_SETS

#: Beyond this zoom a city's features gain nothing; clients overzoom instead.
DEFAULT_ZOOMS = (0, 18)
EXTENT = 4096


@dataclass(frozen=True)
class TilesetSettings:
    """Validated tile options of one collection."""

    zooms: tuple[int, int]
    schemes: tuple[str, ...]
    fields: tuple[str, ...] | None
    tolerance: float
    min_area: float
    buffer: int
    cache_bytes: int
    max_age: int

    @property
    def pygeoapi_options(self) -> dict[str, Any]:
        """Return the options in the shape pygeoapi's tile code reads."""
        return {
            "zoom": {"min": self.zooms[0], "max": self.zooms[1]},
            "schemes": list(self.schemes),
        }

    def tile_options(self, layer_name: str) -> TileOptions:
        """Return the store's tile options for the layer *layer_name*."""
        return TileOptions(
            extent=EXTENT,
            buffer=self.buffer,
            tolerance=self.tolerance,
            min_area=self.min_area,
            fields=self.fields,
            layer_name=layer_name,
        )


def settings_for(provider_def: dict[str, Any]) -> TilesetSettings:
    """Return the settings of a tile provider definition."""
    options = provider_def.get("options") or {}
    return _parse(json.dumps(options, sort_keys=True, default=str))


@functools.lru_cache(maxsize=256)
def _parse(options_json: str) -> TilesetSettings:
    """Validate options once per distinct value."""
    options = json.loads(options_json)
    try:
        zoom = options.get("zoom") or {}
        zooms = (int(zoom.get("min", DEFAULT_ZOOMS[0])), int(zoom.get("max", 18)))
        schemes = tuple(options.get("schemes") or TILE_MATRIX_SETS)
        unknown = set(schemes) - set(TILE_MATRIX_SETS)
        if unknown or not 0 <= zooms[0] <= zooms[1] <= 24:
            raise ValueError(f"schemes {sorted(unknown)} or zoom {zooms}")
        fields = options.get("properties")
        return TilesetSettings(
            zooms=zooms,
            schemes=schemes,
            fields=None if fields is None else tuple(map(str, fields)),
            tolerance=float(options.get("tolerance", 1.0)),
            min_area=float(options.get("min_area", 4.0)),
            buffer=int(options.get("buffer", 64)),
            cache_bytes=int(float(options.get("cache_size_mb", 512)) * 2**20),
            max_age=int(options.get("max_age", 300)),
        )
    except (TypeError, ValueError, AttributeError) as err:
        raise ProviderConnectionError(f"invalid tile options: {err}") from err
