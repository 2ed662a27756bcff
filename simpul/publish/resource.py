"""Build the pygeoapi `resources.<name>` entry of one published dataset."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from simpul.publish import kugi
from simpul.store.base import STORAGE_CRS

PROVIDER = "simpul_providers.features.FeatureProvider"
TILE_PROVIDER = "simpul_providers.tiles.TileProvider"
MVT = "application/vnd.mapbox-vector-tile"
#: Zoom levels a new collection's vector tiles are offered at.
TILE_ZOOM = (0, 18)
EPSG = "http://www.opengis.net/def/crs/EPSG/0/"
#: CRSs offered to clients: the storage CRS, WGS 84, Web Mercator and the
#: UTM 50S / geographic CRSs of WGS 84, DGN95 and SRGI2013 used in Kalimantan.
OUTPUT_CRS = [STORAGE_CRS] + [
    f"{EPSG}{code}" for code in (4326, 3857, 32750, 23880, 4755, 9470, 9490)
]
#: The extent advertised for a layer without any geometry.
WORLD = (-180.0, -90.0, 180.0, 90.0)
KINDS = {
    "Point": "point",
    "MultiPoint": "point",
    "LineString": "line",
    "MultiLineString": "line",
    "Polygon": "area",
    "MultiPolygon": "area",
}


@dataclass(frozen=True)
class Published:
    """What is known about a dataset once it is stored."""

    name: str
    title: str | None
    source: str
    source_crs: str
    geometry_type: str
    count: int
    extent: tuple[float, float, float, float] | None
    store: str
    title_field: str | None
    time_field: str | None


def flow(items: list) -> CommentedSeq:
    """Return a YAML list written inline: [a, b]."""
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def keywords(name: str) -> list[str]:
    """Return the words of the name (without KUGI kind and scale) and its theme."""
    parsed = kugi.parse_name(name)
    words = [parsed[0]] if parsed else [w for w in re.split(r"[_\-]+", name) if w]
    theme = kugi.theme(name)
    return words + ([theme] if theme and theme not in words else [])


def description(item: Published) -> str:
    """Return one sentence saying what the dataset holds and where it came from."""
    kind = KINDS.get(item.geometry_type, "mixed")
    parsed = kugi.parse_name(item.name)
    scale = f" at KUGI scale {parsed[2]}" if parsed else ""
    return (
        f"{item.count} {kind} features ({item.geometry_type}){scale}, published "
        f"from {item.source} ({item.source_crs}) on {dt.date.today().isoformat()}."
    )


def entry(item: Published, previous: Any = None) -> CommentedMap:
    """Return the collection entry for *item* in the config's layout.

    *previous* is the entry the dataset had before it was published again: an
    operator's settings for its vector tiles (zoom range, attributes, cache)
    are kept.
    """
    spatial = CommentedMap()
    spatial["bbox"] = flow([round(v, 7) for v in item.extent or WORLD])
    spatial["crs"] = STORAGE_CRS
    spatial.fa.set_flow_style()

    provider = CommentedMap()
    provider["type"] = "feature"
    provider["name"] = PROVIDER
    provider["data"] = item.store
    provider["table"] = item.name
    provider["id_field"] = "fid"
    if item.title_field:
        provider["title_field"] = item.title_field
    if item.time_field:
        provider["time_field"] = item.time_field
    provider["storage_crs"] = STORAGE_CRS
    provider["crs"] = flow(list(OUTPUT_CRS))

    resource = CommentedMap()
    resource["type"] = "collection"
    resource["title"] = item.title or item.name
    resource["description"] = description(item)
    resource["keywords"] = flow(keywords(item.name))
    resource["links"] = flow([])
    resource["extents"] = CommentedMap(spatial=spatial)
    resource["providers"] = CommentedSeq([provider, tiles(item, previous)])
    return resource


def tiles(item: Published, previous: Any = None) -> CommentedMap:
    """Return the vector tile provider of *item*, kept from *previous* if it had one."""
    providers = (previous or {}).get("providers") or []
    kept = next((p for p in providers if p.get("type") == "tile"), None)
    provider = CommentedMap()
    provider["type"] = "tile"
    provider["name"] = TILE_PROVIDER
    provider["data"] = item.store
    provider["table"] = item.name
    fmt = CommentedMap(name="mvt", mimetype=MVT)
    fmt.fa.set_flow_style()
    provider["format"] = fmt
    zoom = CommentedMap(min=TILE_ZOOM[0], max=TILE_ZOOM[1])
    zoom.fa.set_flow_style()
    provider["options"] = CommentedMap(zoom=zoom)
    if kept is not None:
        for key, value in kept.items():
            if key not in ("type", "data", "table"):
                provider[key] = value
    return provider
