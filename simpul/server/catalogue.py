"""The catalogue's routes: /csw, and the ISO 19139 form of each record."""

from __future__ import annotations

import functools
import json
from http import HTTPStatus
from typing import Any

import pygeoapi.api.itemtypes as itemtypes_api
from pygeoapi.api import API, APIRequest
from pygeoapi.util import to_json
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from simpul.catalogue.entries import load_entries
from simpul.catalogue.node import CATALOGUE_ID, node_from_config, rebase
from simpul.server.csw import XML, csw, request_base_url
from simpul.server.errors import OGCError
from simpul.server.execute import ApiFunction, execute
from simpul.server.negotiation import as_geojson

ITEMS = f"/collections/{CATALOGUE_ID}/items"
#: The `f` values that ask for a record as ISO 19139.
ISO_FORMATS = ("xml", "iso19139")


def exact_next(function: ApiFunction) -> ApiFunction:
    """Drop the `next` link pygeoapi adds to a full last page."""

    @functools.wraps(function)
    def wrapped(api: API, request: APIRequest, *args: Any) -> tuple[dict, int, Any]:
        headers, status, content = function(api, request, *args)
        if status != HTTPStatus.OK or request.format not in (None, "json"):
            return headers, status, content
        page = json.loads(content)
        offset = int(request.params.get("offset") or 0)
        if offset + page.get("numberReturned", 0) >= page.get("numberMatched", -1):
            links = page.get("links", [])
            page["links"] = [link for link in links if link.get("rel") != "next"]
            content = to_json(page, api.pretty_print)
        return headers, status, content

    return wrapped


async def records(request: Request) -> Response:
    """Search the catalogue (OGC API - Records)."""
    function = exact_next(as_geojson(itemtypes_api.get_collection_items))
    return _rebased(request, await execute(request, function, CATALOGUE_ID))


async def record(request: Request) -> Response:
    """Return one record as GeoJSON, HTML, JSON-LD or ISO 19139 XML."""
    item_id = request.path_params["item_id"]
    if request.query_params.get("f") in ISO_FORMATS:
        response = await run_in_threadpool(_iso, request, item_id)
    else:
        function = as_geojson(itemtypes_api.get_collection_item)
        response = await execute(request, function, CATALOGUE_ID, item_id)
    return _rebased(request, response)


def _rebased(request: Request, response: Response) -> Response:
    """Return *response* with the stored records' links under the public URL."""
    body = rebase(bytes(response.body), request_base_url(request))
    headers = {k: v for k, v in response.headers.items() if k != "content-length"}
    return Response(body, status_code=response.status_code, headers=headers)


def _iso(request: Request, item_id: str) -> Response:
    """Return the stored ISO 19139 document of record *item_id*."""
    watcher = request.app.state.watcher
    node = node_from_config(
        watcher.current().config, watcher.config_path.absolute().parent
    )
    for entry in load_entries(node.database):
        if entry.id == item_id:
            return Response(entry.iso.encode("utf-8"), media_type=XML)
    raise OGCError(HTTPStatus.NOT_FOUND, f"record {item_id} not found")


#: Routes that must come before the generic collection routes.
CATALOGUE_ROUTES: list[BaseRoute] = [
    Route("/csw", csw, methods=["GET", "POST"]),
    Route(ITEMS, records, methods=["GET"]),
    Route(ITEMS + "/{item_id}", record, methods=["GET"]),
]
