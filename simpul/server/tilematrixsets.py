"""The tile matrix sets the node tiles in, as morecantile defines them.

OGC API - Tiles 1.0, clause 7.3 (tileMatrixSets), with definitions following
OGC Two Dimensional Tile Matrix Set 2.0: https://docs.ogc.org/is/17-083r4/17-083r4.html
"""

from __future__ import annotations

import functools
from http import HTTPStatus

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from simpul.server.apis import ApiCache
from simpul.tiles.tilematrix import (
    TILE_MATRIX_SETS,
    UnknownTileMatrixSet,
    tile_matrix_set,
)

from .errors import OGCError


@functools.cache
def definition(tms_id: str) -> dict:
    """Return the JSON definition of *tms_id*."""
    tms = tile_matrix_set(tms_id)
    return tms.model_dump(mode="json", exclude_none=True, by_alias=True)


def _base_url(request: Request) -> str:
    """Return the node's public base URL for this request."""
    apis: ApiCache = request.app.state.apis
    return apis.for_request(request).base_url


async def tile_matrix_sets(request: Request) -> Response:
    """Answer the list of tile matrix sets."""
    base = _base_url(request)
    sets = []
    for tms_id in TILE_MATRIX_SETS:
        tms = tile_matrix_set(tms_id)
        href = f"{base}/tileMatrixSets/{tms_id}"
        sets.append(
            {
                "id": tms_id,
                "title": tms.title,
                "uri": tms.uri,
                "links": [{"rel": "self", "type": "application/json", "href": href}],
            }
        )
    self_link = {
        "rel": "self",
        "type": "application/json",
        "href": f"{base}/tileMatrixSets",
    }
    return JSONResponse({"tileMatrixSets": sets, "links": [self_link]})


async def tile_matrix_set_definition(request: Request) -> Response:
    """Answer one tile matrix set definition; 404 for an unknown id."""
    tms_id = request.path_params["tileMatrixSetId"]
    try:
        return JSONResponse(definition(tms_id))
    except UnknownTileMatrixSet as err:
        raise OGCError(HTTPStatus.NOT_FOUND, f"No tile matrix set {tms_id!r}") from err


def routes() -> list[BaseRoute]:
    """Return the routes, under both spellings clients use."""
    found = []
    for prefix in ("/tileMatrixSets", "/TileMatrixSets"):
        found.append(Route(prefix, tile_matrix_sets, methods=["GET"]))
        found.append(
            Route(
                prefix + "/{tileMatrixSetId}",
                tile_matrix_set_definition,
                methods=["GET"],
            )
        )
    return found
