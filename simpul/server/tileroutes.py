"""The routes of OGC API - Tiles, and the MapLibre files the map page loads."""

from __future__ import annotations

from pathlib import Path

from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from simpul.server.tilematrixsets import routes as tile_matrix_set_routes
from simpul.server.tiles import collection_tile
from simpul.server.tilesets import default_style, tileset, tilesets

#: MapLibre GL JS, self-hosted for offline networks (see static/README.md).
STATIC_DIR = Path(__file__).parent / "static"

COLLECTION = "/collections/{collection_id}"
TILESET = COLLECTION + "/tiles/{tileMatrixSetId}"


def _get(path: str, endpoint: object) -> Route:
    """Route GET (and HEAD) to *endpoint*."""
    return Route(path, endpoint, methods=["GET"])  # type: ignore[arg-type]


TILE_ROUTES: list[BaseRoute] = [
    *tile_matrix_set_routes(),
    _get(COLLECTION + "/tiles", tilesets),
    _get(TILESET, tileset),
    _get(TILESET + "/metadata", tileset),
    _get(TILESET + "/{tileMatrix}/{tileRow}/{tileCol}", collection_tile),
    _get(COLLECTION + "/styles/default", default_style),
    Mount("/static/simpul", StaticFiles(directory=STATIC_DIR), name="simpul-static"),
]
