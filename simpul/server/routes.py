"""The node's routes: OGC API - Features, Tiles and Records over pygeoapi."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pygeoapi.api as core_api
import pygeoapi.api.itemtypes as itemtypes_api
import pygeoapi.api.tiles as tiles_api
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from simpul.server.conformance import conformance
from simpul.server.execute import ApiFunction, execute
from simpul.server.filtering import with_cql2_json
from simpul.server.health import healthz
from simpul.server.negotiation import as_geojson
from simpul.server.tilelinks import with_tile_links
from simpul.server.tileroutes import TILE_ROUTES

Endpoint = Callable[[Request], Awaitable[Response]]

COLLECTION = "/collections/{collection_id}"
TILESET = COLLECTION + "/tiles/{tileMatrixSetId}"


def endpoint(
    function: ApiFunction, *path_params: str, check_format: bool = True
) -> Endpoint:
    """Return a handler calling *function* with the named path parameters."""

    async def handle(request: Request) -> Response:
        args = [request.path_params[name] for name in path_params]
        return await execute(request, function, *args, check_format=check_format)

    handle.__name__ = function.__name__
    handle.__doc__ = function.__doc__
    return handle


def read_only(path: str, handler: Endpoint) -> Route:
    """Route GET (and HEAD) only; writing methods answer 405 Method Not Allowed."""
    return Route(path, handler, methods=["GET"])


# Every route is read-only: items are not editable, so POST, PUT, PATCH and
# DELETE get Starlette's 405, which the error handlers answer in OGC form.
ROUTES: list[BaseRoute] = [
    # The node's own tiles API comes first and answers the tile paths below.
    *TILE_ROUTES,
    read_only("/", endpoint(with_tile_links(core_api.landing_page))),
    read_only("/openapi", endpoint(core_api.openapi_)),
    read_only("/conformance", endpoint(conformance)),
    read_only("/healthz", healthz),
    read_only("/TileMatrixSets", endpoint(tiles_api.tilematrixsets)),
    read_only(
        "/TileMatrixSets/{tileMatrixSetId}",
        endpoint(tiles_api.tilematrixset, "tileMatrixSetId"),
    ),
    read_only("/collections", endpoint(core_api.describe_collections)),
    read_only(COLLECTION, endpoint(core_api.describe_collections, "collection_id")),
    read_only(
        COLLECTION + "/schema",
        endpoint(core_api.get_collection_schema, "collection_id"),
    ),
    read_only(
        COLLECTION + "/queryables",
        endpoint(itemtypes_api.get_collection_queryables, "collection_id"),
    ),
    # Items and tiles accept formats of their own (csv, mvt) and check them.
    read_only(
        COLLECTION + "/items",
        endpoint(
            as_geojson(with_cql2_json(itemtypes_api.get_collection_items)),
            "collection_id",
            check_format=False,
        ),
    ),
    read_only(
        COLLECTION + "/items/{item_id}",
        endpoint(
            as_geojson(itemtypes_api.get_collection_item), "collection_id", "item_id"
        ),
    ),
    read_only(
        COLLECTION + "/tiles",
        endpoint(tiles_api.get_collection_tiles, "collection_id"),
    ),
    *[
        read_only(
            path,
            endpoint(
                tiles_api.get_collection_tiles_metadata,
                "collection_id",
                "tileMatrixSetId",
                check_format=False,
            ),
        )
        for path in (TILESET, TILESET + "/metadata")
    ],
    read_only(
        TILESET + "/{tileMatrix}/{tileRow}/{tileCol}",
        endpoint(
            tiles_api.get_collection_tiles_data,
            "collection_id",
            "tileMatrixSetId",
            "tileMatrix",
            "tileRow",
            "tileCol",
            check_format=False,
        ),
    ),
]
