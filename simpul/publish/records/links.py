"""The online resources of a record, each typed by protocol and media type."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from simpul.catalogue.node import CATALOGUE_ID, Node

#: The tile matrix set vector tiles and TileJSON are linked for.
TILE_MATRIX_SET = "WebMercatorQuad"


@dataclass(frozen=True)
class OnlineResource:
    """One service link: ISO CI_OnlineResource and OGC API link in one."""

    key: str
    url: str
    protocol: str
    media_type: str
    rel: str
    name: str
    description: str
    function: str


def online_resources(node: Node, name: str) -> list[OnlineResource]:
    """Return the links of dataset *name*: services, the ISO XML and the record."""
    collection = f"{node.url}/collections/{quote(name)}"
    tileset = f"{collection}/tiles/{TILE_MATRIX_SET}"
    record = f"{node.url}/collections/{CATALOGUE_ID}/items/"
    record += quote(node.record_id(name))
    return [
        OnlineResource(
            "items",
            f"{collection}/items?f=json",
            "OGC:API-Features",
            "application/geo+json",
            "items",
            f"{name} (OGC API - Features)",
            "Fitur data melalui OGC API - Features / features of the dataset",
            "download",
        ),
        OnlineResource(
            "collection",
            collection,
            "OGC:API-Features",
            "text/html",
            "collection",
            f"{name} (HTML)",
            "Halaman koleksi / collection page",
            "information",
        ),
        OnlineResource(
            "tiles",
            f"{collection}/tiles?f=json",
            "OGC:API-Tiles",
            "application/json",
            "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector",
            f"{name} (vector tiles)",
            "Ubin vektor (Mapbox Vector Tile) / vector tiles",
            "download",
        ),
        OnlineResource(
            "tilejson",
            f"{tileset}/metadata?f=tilejson",
            "TileJSON",
            "application/json",
            "describedby",
            f"{name} (TileJSON)",
            "Metadata ubin vektor / vector tiles TileJSON",
            "information",
        ),
        OnlineResource(
            "iso",
            f"{record}?f=xml",
            "ISO 19139",
            "application/xml",
            "alternate",
            f"{name} (ISO 19139)",
            "Metadata ISO 19139 / ISO 19139 metadata",
            "information",
        ),
        OnlineResource(
            "record",
            f"{record}?f=json",
            "OGC:API-Records",
            "application/geo+json",
            "alternate",
            f"{name} (OGC API - Records)",
            "Rekaman katalog / catalogue record",
            "information",
        ),
    ]
