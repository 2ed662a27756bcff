"""Run a pygeoapi API function for a Starlette request, off the event loop."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from pygeoapi.api import API, APIRequest, apply_gzip
from starlette.requests import Request
from starlette.responses import Response

from simpul.server.apis import ApiCache
from simpul.server.errors import OGCError
from simpul.server.request import NodeRequest
from simpul.server.upstream import to_json

ApiFunction = Callable[..., tuple[dict, int, str | bytes]]


async def execute(
    request: Request,
    function: ApiFunction,
    *args: Any,
    check_format: bool = True,
) -> Response:
    """Answer *request* with ``function(api, api_request, *args)``."""
    # Choosing the API may reload the files and build an API object: not on the loop.
    cache: ApiCache = request.app.state.apis
    api = await asyncio.to_thread(cache.for_request, request)
    api_request = await NodeRequest.from_starlette(request, api.locales)

    # Handlers that accept extra formats (items: csv, tiles: mvt) check their own.
    if check_format and not api_request.is_valid():
        raise OGCError(
            HTTPStatus.BAD_REQUEST,
            f"Invalid format requested: {api_request.format}",
            "InvalidParameterValue",
        )

    loop = asyncio.get_running_loop()
    headers, status, content = await loop.run_in_executor(
        None, _call, loop, function, api, api_request, *args
    )
    # A 204 carries no body, and gzip would add one.
    if status != HTTPStatus.NO_CONTENT:
        content = apply_gzip(headers, content)
    return _to_response(headers, status, content)


def _call(
    loop: asyncio.AbstractEventLoop,
    function: ApiFunction,
    api: API,
    api_request: APIRequest,
    *args: Any,
) -> tuple[dict, int, str | bytes]:
    """Call *function* in a worker thread that can reach the server's loop."""
    asyncio.set_event_loop(loop)
    return function(api, api_request, *args)


def _to_response(headers: dict, status: int, content: Any) -> Response:
    """Build the Starlette response from pygeoapi's (headers, status, content)."""
    if status == HTTPStatus.NO_CONTENT:
        content = b""
    elif isinstance(content, dict):
        content = to_json(content, False)
    elif not isinstance(content, (str, bytes)):
        raise TypeError(f"unexpected content of type {type(content).__name__}")
    response = Response(content, status_code=status)
    response.headers.update(headers)
    return response
