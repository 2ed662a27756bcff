"""The ASGI application of a node, and `run()` to serve it with uvicorn."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pygeoapi
import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from simpul import nodeconfig as settings
from simpul.openapi import write_openapi
from simpul.server import upstream
from simpul.server.apis import ApiCache
from simpul.server.catalogue import CATALOGUE_ROUTES
from simpul.server.errors import EXCEPTION_HANDLERS, ServerErrorMiddleware
from simpul.server.reload import ConfigUnavailable, Watcher
from simpul.server.routes import ROUTES

LOGGER = logging.getLogger(__name__)

#: The CSS, JavaScript and images pygeoapi's HTML templates refer to.
STATIC_DIR = Path(pygeoapi.__file__).parent / "static"


def create_app(config: Path | None = None, openapi: Path | None = None) -> Starlette:
    """Build the app; files default to PYGEOAPI_CONFIG and PYGEOAPI_OPENAPI."""
    upstream.install()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        watcher = Watcher(
            config or settings.config_path(), openapi or settings.openapi_path()
        )
        await asyncio.to_thread(_prepare, watcher)
        app.state.watcher = watcher
        app.state.apis = ApiCache(watcher)
        yield

    return Starlette(
        routes=[
            *CATALOGUE_ROUTES,
            *ROUTES,
            Mount("/static", StaticFiles(directory=STATIC_DIR)),
        ],
        middleware=[
            Middleware(ServerErrorMiddleware),
            # The API is public and read-only, so any origin may read it.
            Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET"]),
        ],
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        lifespan=lifespan,
    )


def _prepare(watcher: Watcher) -> None:
    """Generate a missing OpenAPI document, then load the configuration."""
    if not watcher.openapi_path.exists() and watcher.config_path.exists():
        try:
            write_openapi(watcher.config_path, watcher.openapi_path)
        except Exception:  # the node still starts, and /healthz reports it
            LOGGER.exception("Cannot generate %s", watcher.openapi_path)
    try:
        watcher.current()
    except ConfigUnavailable as err:
        LOGGER.error("Starting without a configuration: %s", err)


def run(
    config_path: str | Path, host: str | None = None, port: int | None = None
) -> None:
    """Serve the node described by *config_path* with uvicorn."""
    config_path = Path(config_path).absolute()
    os.environ["PYGEOAPI_CONFIG"] = str(config_path)
    bind: dict[str, Any] = settings.load_config(config_path)["server"].get("bind", {})

    # Forwarded headers are judged by simpul.trusted_proxies alone, so uvicorn
    # must not rewrite the client address from X-Forwarded-For first.
    uvicorn.run(
        create_app(config_path, settings.openapi_path()),
        host=host or bind.get("host", "127.0.0.1"),
        port=port or int(bind.get("port", 5000)),
        proxy_headers=False,
        server_header=False,
    )


app = create_app()
