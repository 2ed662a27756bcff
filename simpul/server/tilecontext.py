"""Find a collection's tile provider for a request, and map its errors."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from pygeoapi import l10n
from pygeoapi.api import API
from pygeoapi.provider import get_provider_by_type
from pygeoapi.provider.base import ProviderGenericError, ProviderTypeError
from simpul_providers.tiledocs import TilesetRef
from simpul_providers.tiles import TileProvider
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from simpul.server.errors import OGCError

LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class TileContext:
    """A collection with tiles, as one request sees it."""

    api: API
    collection: str
    provider: TileProvider
    ref: TilesetRef


def tile_context(request: Request, collection: str) -> TileContext:
    """Return the tile provider of *collection*; raise 404 when it has none."""
    api: API = request.app.state.apis.for_request(request)
    resource = api.config["resources"].get(collection)
    if not resource or resource.get("type") != "collection":
        raise OGCError(HTTPStatus.NOT_FOUND, f"No collection {collection!r}")
    try:
        definition = get_provider_by_type(resource["providers"], "tile")
    except ProviderTypeError as err:
        raise OGCError(
            HTTPStatus.NOT_FOUND, f"The collection {collection!r} has no tiles"
        ) from err
    provider = TileProvider({"id": collection, **definition})
    locale = api.default_locale
    ref = TilesetRef(
        base_url=api.base_url,
        collection=collection,
        title=str(l10n.translate(resource.get("title", collection), locale)),
        description=str(l10n.translate(resource.get("description", ""), locale)),
    )
    return TileContext(api, collection, provider, ref)


def is_ours(request: Request, collection: str) -> bool:
    """Tell whether the collection's tiles come from this node's tile provider."""
    api: API = request.app.state.apis.for_request(request)
    resource = api.config["resources"].get(collection) or {}
    try:
        definition = get_provider_by_type(resource.get("providers", []), "tile")
    except ProviderTypeError:
        return True  # answered with a 404 by tile_context
    name = str(definition.get("name", ""))
    return name.endswith("tiles.TileProvider") and "simpul" in name


async def call[T](function: Callable[..., T], *args: Any) -> T:
    """Run a blocking provider call in a thread; its errors become OGC errors."""
    try:
        return await run_in_threadpool(function, *args)
    except ProviderGenericError as err:
        status = HTTPStatus(err.http_status_code)
        if status >= HTTPStatus.INTERNAL_SERVER_ERROR:
            LOGGER.error("Tile provider failed: %s", err)
        raise OGCError(status, err.message, err.ogc_exception_code) from err
