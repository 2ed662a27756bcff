"""TileJSON 3.0.0 and a default MapLibre style for a collection's tiles."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .tiledocs import TilesetRef, dimension

if TYPE_CHECKING:
    from .tiles import TileProvider

#: TileJSON and MapLibre speak Web Mercator tiles only.
WEB_MERCATOR = "WebMercatorQuad"
COLOUR = "#d2552d"


def tilejson(provider: TileProvider, ref: TilesetRef, tms_id: str) -> dict:
    """Return the TileJSON 3.0.0 document of the tileset in *tms_id*."""
    layer = provider.layer
    low, high = provider.settings.zooms
    fields = {
        name: schema.get("format", schema["type"])
        for name, schema in provider.get_fields().items()
    }
    document: dict[str, Any] = {
        "tilejson": "3.0.0",
        "name": ref.title,
        "description": ref.description,
        "scheme": "xyz",
        "tiles": [f"{ref.tileset_url(tms_id)}/{{z}}/{{y}}/{{x}}"],
        "minzoom": low,
        "maxzoom": high,
        "vector_layers": [
            {
                "id": provider.get_layer(),
                "description": ref.description,
                "fields": fields,
                "minzoom": low,
                "maxzoom": high,
            }
        ],
    }
    if layer.extent is not None:
        west, south, east, north = layer.extent
        document["bounds"] = [west, south, east, north]
        zoom = min(max(low, 12), high)
        document["center"] = [(west + east) / 2, (south + north) / 2, zoom]
    return document


def style(provider: TileProvider, ref: TilesetRef) -> dict:
    """Return a MapLibre style drawing the collection over a plain background."""
    source, source_layer = ref.collection, provider.get_layer()
    low = provider.settings.zooms[0]
    common = {"source": source, "source-layer": source_layer, "minzoom": low}
    layers: list[dict[str, Any]] = [
        {
            "id": "background",
            "type": "background",
            "paint": {"background-color": "#f4f1ea"},
        }
    ]
    dim = dimension(provider.layer.geometry_type)
    if dim in (2, None):
        layers.append(
            {
                "id": f"{source}-fill",
                "type": "fill",
                **common,
                "filter": ["==", "$type", "Polygon"],
                "paint": {"fill-color": COLOUR, "fill-opacity": 0.35},
            }
        )
    if dim in (1, 2, None):
        layers.append(
            {
                "id": f"{source}-line",
                "type": "line",
                **common,
                "paint": {"line-color": COLOUR, "line-width": 1.2},
            }
        )
    if dim in (0, None):
        layers.append(
            {
                "id": f"{source}-point",
                "type": "circle",
                **common,
                "filter": ["==", "$type", "Point"],
                "paint": {"circle-color": COLOUR, "circle-radius": 4},
            }
        )
    tiles = f"{ref.tileset_url(WEB_MERCATOR)}?f=tilejson"
    document: dict[str, Any] = {
        "version": 8,
        "name": ref.title,
        "sources": {source: {"type": "vector", "url": tiles}},
        "layers": layers,
    }
    tilejson_doc = tilejson(provider, ref, WEB_MERCATOR)
    if "center" in tilejson_doc:
        document["center"] = tilejson_doc["center"][:2]
        document["zoom"] = tilejson_doc["center"][2]
    return document
