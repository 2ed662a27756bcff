"""Tiles of a collection: generated on request, cached, validated by ETag.

OGC API - Tiles 1.0, clause 7.1 (core): a tile outside the tileset's tile
matrix limits is 404; an existing tile with no data answers 204 No Content.
https://docs.ogc.org/is/20-057/20-057.html#toc30
"""

from __future__ import annotations

import re
from http import HTTPStatus

import pygeoapi.api.tiles as tiles_api
from starlette.requests import Request
from starlette.responses import Response

from simpul.server.errors import OGCError
from simpul.server.execute import execute
from simpul.server.tilecontext import call, is_ours, tile_context

MVT_TYPE = "application/vnd.mapbox-vector-tile"
INDEX = re.compile(r"\d{1,9}")
PATH_PARAMS = ("collection_id", "tileMatrixSetId", "tileMatrix", "tileRow", "tileCol")


def _index(request: Request, name: str) -> int:
    """Return one tile index from the path; raise 400 unless it is a number."""
    value = request.path_params[name]
    if not INDEX.fullmatch(value):
        raise OGCError(HTTPStatus.BAD_REQUEST, f"{name} must be a non-negative integer")
    return int(value)


def _matches(request: Request, etag: str) -> bool:
    """Tell whether the client's If-None-Match names *etag* (RFC 9110, 13.1.2)."""
    header = request.headers.get("if-none-match", "")
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return etag in tags or "*" in tags


async def collection_tile(request: Request) -> Response:
    """Answer one tile: MVT bytes, 204 when empty, 304 when unchanged."""
    collection = request.path_params["collection_id"]
    if not is_ours(request, collection):
        params = (
            "collection_id",
            "tileMatrixSetId",
            "tileMatrix",
            "tileRow",
            "tileCol",
        )
        args = [request.path_params[p] for p in params]
        return await execute(
            request, tiles_api.get_collection_tiles_data, *args, check_format=False
        )
    f = request.query_params.get("f")
    if f not in (None, "mvt"):
        raise OGCError(HTTPStatus.BAD_REQUEST, f"Invalid format requested: {f}")
    z = _index(request, "tileMatrix")
    y, x = _index(request, "tileRow"), _index(request, "tileCol")
    context = tile_context(request, collection)
    tms_id = request.path_params["tileMatrixSetId"]
    tile = await call(context.provider.tile, tms_id, z, y, x)

    headers = {
        "ETag": tile.etag,
        "Cache-Control": f"public, max-age={context.provider.settings.max_age}",
    }
    if _matches(request, tile.etag):
        return Response(status_code=HTTPStatus.NOT_MODIFIED, headers=headers)
    if tile.data is None:
        return Response(status_code=HTTPStatus.NO_CONTENT, headers=headers)
    return Response(tile.data, media_type=MVT_TYPE, headers=headers)
