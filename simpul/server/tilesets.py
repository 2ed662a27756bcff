"""A collection's tilesets: the list, each tileset's metadata, TileJSON, style.

OGC API - Tiles 1.0, clauses 8 (tilesets list) and 10 (tileset metadata):
https://docs.ogc.org/is/20-057/20-057.html#toc37
"""

from __future__ import annotations

from http import HTTPStatus
from pathlib import Path
from string import Template

from simpul_providers.tiledocs import STYLE_TYPE, TILEJSON_TYPE
from simpul_providers.tiledocs import tileset_metadata as metadata_document
from simpul_providers.tilestyle import WEB_MERCATOR, style, tilejson
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from simpul.server.errors import OGCError
from simpul.server.tilecontext import TileContext, call, tile_context

MAP_PAGE = Template(
    (Path(__file__).parent / "templates" / "tiles_map.html").read_text("utf-8")
)
FORMATS = ("json", "tilejson", "html")


def _format(request: Request, allowed: tuple[str, ...]) -> str:
    """Return the requested format: ``f`` first, then a browser's Accept."""
    f = request.query_params.get("f")
    if f is None:
        return "html" if "text/html" in request.headers.get("accept", "") else "json"
    if f not in allowed:
        raise OGCError(HTTPStatus.BAD_REQUEST, f"Invalid format requested: {f}")
    return f


def _scheme(context: TileContext, request: Request) -> str:
    """Return the tile matrix set of the path; raise 404 for one not offered."""
    tms_id = request.path_params["tileMatrixSetId"]
    if tms_id not in context.provider.schemes:
        raise OGCError(HTTPStatus.NOT_FOUND, f"No tileset in {tms_id!r}")
    return tms_id


async def tilesets(request: Request) -> Response:
    """Answer the list of the collection's tilesets."""
    context = tile_context(request, request.path_params["collection_id"])
    ref = context.ref
    url = f"{ref.base_url}/collections/{ref.collection}/tiles"
    sets = []
    for tms_id in context.provider.schemes:
        document = await call(metadata_document, context.provider, ref, tms_id)
        sets.append(
            {
                "title": f"{ref.title} ({tms_id})",
                "dataType": "vector",
                "crs": document["crs"],
                "tileMatrixSetURI": document["tileMatrixSetURI"],
                "links": [
                    {**document["links"][0], "rel": "self"},
                    document["links"][1],
                ],
            }
        )
    links = [{"rel": "self", "type": "application/json", "href": url}]
    return JSONResponse({"links": links, "tilesets": sets})


async def tileset(request: Request) -> Response:
    """Answer a tileset's metadata as JSON, TileJSON, or a MapLibre page."""
    context = tile_context(request, request.path_params["collection_id"])
    tms_id = _scheme(context, request)
    f = _format(request, FORMATS)
    if f == "tilejson":
        document = await call(tilejson, context.provider, context.ref, tms_id)
        return JSONResponse(document, media_type=TILEJSON_TYPE)
    if f == "html":
        return HTMLResponse(_map_page(context))
    document = await call(metadata_document, context.provider, context.ref, tms_id)
    return JSONResponse(document)


async def default_style(request: Request) -> Response:
    """Answer the collection's default MapLibre style."""
    context = tile_context(request, request.path_params["collection_id"])
    if WEB_MERCATOR not in context.provider.schemes:
        raise OGCError(HTTPStatus.NOT_FOUND, "Styles need WebMercatorQuad tiles")
    document = await call(style, context.provider, context.ref)
    return JSONResponse(document, media_type=STYLE_TYPE)


def _map_page(context: TileContext) -> str:
    """Return the HTML page showing the collection's tiles with MapLibre."""
    ref = context.ref
    return MAP_PAGE.substitute(
        title=_escape(ref.title),
        base=ref.base_url,
        style=ref.style_url(),
        metadata=f"{ref.tileset_url(WEB_MERCATOR)}?f=json",
    )


def _escape(text: str) -> str:
    """Escape text for HTML element content."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
