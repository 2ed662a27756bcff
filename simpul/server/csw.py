"""CSW 2.0.2 (and 3.0) at /csw: pycsw answering from the node's catalogue."""

from __future__ import annotations

import io
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl, urlencode

from pycsw import server
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from simpul.catalogue.node import node_from_config, rebase
from simpul.catalogue.repository import ensure_repository
from simpul.server.baseurl import public_base_url
from simpul.server.cswconfig import pycsw_config

XML = "application/xml; charset=UTF-8"
JSON = "application/json; charset=UTF-8"
#: What harvesters of Indonesian nodes speak when a request names no version.
DEFAULT_VERSION = "2.0.2"


async def csw(request: Request) -> Response:
    """Answer one CSW request (KVP GET or XML POST) for the node's public URL."""
    watcher = request.app.state.watcher
    snapshot = watcher.current()
    client = request.client.host if request.client else None
    base_url = request_base_url(request)
    node = node_from_config(snapshot.config, watcher.config_path.absolute().parent)
    config = pycsw_config(snapshot.config, node, base_url)
    body = await request.body() if request.method == "POST" else b""
    environ = _environ(request, body, client)

    await run_in_threadpool(ensure_repository, node.database)
    status, content = await run_in_threadpool(_dispatch, config, environ)
    content = rebase(content, base_url)
    return Response(content, status_code=status, media_type=_media_type(content))


def _dispatch(config: dict[str, Any], environ: dict[str, Any]) -> tuple[int, bytes]:
    """Run pycsw on one request; return the HTTP status and the body."""
    handler = server.Csw(config, environ, version=DEFAULT_VERSION)
    status, content = handler.dispatch_wsgi()
    code = int(str(status).split()[0]) if status else HTTPStatus.OK
    return code, content if isinstance(content, bytes) else str(content).encode()


def _environ(request: Request, body: bytes, client: str | None) -> dict[str, Any]:
    """Return the WSGI environment pycsw reads a request from."""
    query = parse_qsl(request.url.query, keep_blank_values=True)
    names = {name.lower() for name, _ in query}
    if request.method == "GET" and not names & {"version", "acceptversions"}:
        query.append(("version", DEFAULT_VERSION))
    return {
        "REQUEST_METHOD": request.method,
        "QUERY_STRING": urlencode(query),
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": request.headers.get("content-type", ""),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": request.url.scheme,
        "HTTP_HOST": request.url.netloc,
        "SERVER_NAME": request.url.hostname or "localhost",
        "SERVER_PORT": str(request.url.port or 80),
        "SCRIPT_NAME": "",
        "PATH_INFO": request.url.path,
        "REMOTE_ADDR": client or "",
    }


def _media_type(content: bytes) -> str:
    """Name what the body is: pycsw echoes a client's outputFormat even on errors."""
    start = content.lstrip()[:1]
    return JSON if start in (b"{", b"[") else XML


def request_base_url(request: Request) -> str:
    """Return the node's public base URL as the client of *request* sees it."""
    snapshot = request.app.state.watcher.current()
    return public_base_url(
        snapshot.config["server"]["url"],
        request.headers,
        request.client.host if request.client else None,
        snapshot.settings.trusted_proxies,
    )
