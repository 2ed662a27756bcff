"""Documents describing a collection's tileset: OGC metadata, TileJSON, style."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simpul.tiles.tilematrix import matrix_limits, tile_matrix_set

if TYPE_CHECKING:
    from .tiles import TileProvider

MVT_TYPE = "application/vnd.mapbox-vector-tile"
TILEJSON_TYPE = "application/vnd.mapbox.tile+json"
STYLE_TYPE = "application/vnd.mapbox.style+json"
REL = "http://www.opengis.net/def/rel/ogc/1.0/"
DIMENSIONS = {"point": 0, "linestring": 1, "polygon": 2}


@dataclass(frozen=True)
class TilesetRef:
    """Where a collection's tileset is published, and how it is titled."""

    base_url: str
    collection: str
    title: str
    description: str

    def tileset_url(self, tms_id: str) -> str:
        """Return the URL of the tileset in *tms_id*."""
        return f"{self.base_url}/collections/{self.collection}/tiles/{tms_id}"

    def style_url(self) -> str:
        """Return the URL of the collection's default style."""
        return f"{self.base_url}/collections/{self.collection}/styles/default"


def dimension(geometry_type: str) -> int | None:
    """Return 0, 1 or 2 for points, lines or surfaces; None when mixed."""
    name = geometry_type.lower().removeprefix("multi")
    return DIMENSIONS.get(name)


def tileset_metadata(provider: TileProvider, ref: TilesetRef, tms_id: str) -> dict:
    """Return the tileset metadata (OGC API - Tiles 1.0, clause 10)."""
    layer = provider.layer
    tms = tile_matrix_set(tms_id)
    low, high = provider.settings.zooms[0], min(provider.settings.zooms[1], tms.maxzoom)
    limits = []
    for z in range(low, high + 1):
        min_row, max_row, min_col, max_col = matrix_limits(tms_id, z, layer.extent)
        limits.append(
            {
                "tileMatrix": str(z),
                "minTileRow": min_row,
                "maxTileRow": max_row,
                "minTileCol": min_col,
                "maxTileCol": max_col,
            }
        )
    url = ref.tileset_url(tms_id)
    document: dict[str, Any] = {
        "title": ref.title,
        "description": ref.description,
        "dataType": "vector",
        "crs": tms.crs.root,
        "tileMatrixSetURI": tms.uri,
        "tileMatrixSetLimits": limits,
        "layers": [_layer(provider, low, high)],
        "links": [
            {"rel": "self", "type": "application/json", "href": url},
            {
                "rel": f"{REL}tiling-scheme",
                "type": "application/json",
                "href": f"{ref.base_url}/tileMatrixSets/{tms_id}",
            },
            {
                "rel": "item",
                "type": MVT_TYPE,
                "templated": True,
                "href": f"{url}/{{tileMatrix}}/{{tileRow}}/{{tileCol}}",
            },
            {
                "rel": "alternate",
                "type": TILEJSON_TYPE,
                "href": f"{url}?f=tilejson",
            },
            {"rel": "describedby", "type": STYLE_TYPE, "href": ref.style_url()},
            {
                "rel": f"{REL}geodata",
                "type": "application/json",
                "href": f"{ref.base_url}/collections/{ref.collection}",
            },
        ],
    }
    if layer.extent is not None:
        west, south, east, north = layer.extent
        document["boundingBox"] = {
            "lowerLeft": [west, south],
            "upperRight": [east, north],
            "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
        }
    return document


def _layer(provider: TileProvider, low: int, high: int) -> dict:
    """Return the description of the one layer inside the tiles."""
    layer = provider.layer
    description: dict[str, Any] = {
        "id": provider.get_layer(),
        "dataType": "vector",
        "minTileMatrix": str(low),
        "maxTileMatrix": str(high),
        "propertiesSchema": {
            "type": "object",
            "properties": provider.get_fields(),
        },
    }
    dim = dimension(layer.geometry_type)
    if dim is not None:
        description["geometryDimension"] = dim
    return description
