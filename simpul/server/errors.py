"""Turn every error into an OGC exception response, in one place."""

from __future__ import annotations

import logging
from http import HTTPStatus

from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from simpul.server.reload import ConfigUnavailable

LOGGER = logging.getLogger(__name__)

# OGC API - Common exception codes by HTTP status; the body shape follows
# https://docs.ogc.org/is/17-069r4/17-069r4.html#_http_status_codes
_CODES = {
    HTTPStatus.BAD_REQUEST: "InvalidParameterValue",
    HTTPStatus.UNAUTHORIZED: "NotAuthorized",
    HTTPStatus.NOT_FOUND: "NotFound",
    HTTPStatus.METHOD_NOT_ALLOWED: "MethodNotAllowed",
    HTTPStatus.SERVICE_UNAVAILABLE: "ServiceUnavailable",
}


class OGCError(Exception):
    """An error with the HTTP status, OGC code and message a client may see."""

    def __init__(self, status: int, description: str, code: str | None = None) -> None:
        super().__init__(description)
        self.status = HTTPStatus(status)
        self.code = code or _CODES.get(self.status, "NoApplicableCode")
        self.description = description


def ogc_response(
    status: int, description: str, code: str | None = None, **headers: str
) -> Response:
    """Return an OGC exception JSON response."""
    error = OGCError(status, description, code)
    body = {"code": error.code, "type": error.code, "description": description}
    return JSONResponse(body, status_code=error.status, headers=headers or None)


async def ogc_error(request: Request, exc: Exception) -> Response:
    """Answer a raised OGCError."""
    assert isinstance(exc, OGCError)
    return ogc_response(exc.status, exc.description, exc.code)


async def http_error(request: Request, exc: Exception) -> Response:
    """Answer Starlette's routing errors (404, 405) as OGC exceptions."""
    assert isinstance(exc, HTTPException)
    if exc.status_code == HTTPStatus.NOT_FOUND:
        description = f"No resource at {request.url.path}"
    elif exc.status_code == HTTPStatus.METHOD_NOT_ALLOWED:
        description = f"{request.method} is not allowed on {request.url.path}"
    else:
        description = HTTPStatus(exc.status_code).phrase
    return ogc_response(exc.status_code, description, **(exc.headers or {}))


async def unavailable(request: Request, exc: Exception) -> Response:
    """Answer 503 while the configuration cannot be loaded."""
    LOGGER.error("Service unavailable: %s", exc)
    return ogc_response(HTTPStatus.SERVICE_UNAVAILABLE, "The node is not configured")


EXCEPTION_HANDLERS = {
    OGCError: ogc_error,
    HTTPException: http_error,
    ConfigUnavailable: unavailable,
}


class ServerErrorMiddleware:
    """Answer any unhandled exception with a 500 OGC exception, logging it once."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        started = False

        async def send_tracking(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, send_tracking)
        except ClientDisconnect:
            # The client went away before its request was read: nobody to answer.
            LOGGER.debug("Client left during %s %s", scope["method"], scope["path"])
        except Exception:
            LOGGER.exception("Unhandled error on %s %s", scope["method"], scope["path"])
            if started:
                raise
            response = ogc_response(
                HTTPStatus.INTERNAL_SERVER_ERROR, "Internal server error"
            )
            await response(scope, receive, send)
