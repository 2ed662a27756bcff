"""The /healthz probe: the configuration loads and the store can be opened."""

from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse

from simpul.server.reload import ConfigUnavailable, Watcher
from simpul.store import is_database, open_store

LOGGER = logging.getLogger(__name__)


async def healthz(request: Request) -> JSONResponse:
    """Answer 200 {"status": "ok"} when the node can serve, 503 otherwise."""
    watcher: Watcher = request.app.state.watcher
    try:
        snapshot = watcher.current()
    except ConfigUnavailable as err:
        return _unhealthy(str(err))
    if watcher.error:
        return _unhealthy(watcher.error)

    store = snapshot.settings.store
    problem = await asyncio.to_thread(
        store_problem, store, serves_from(snapshot.config, store)
    )
    if problem:
        return _unhealthy(problem)
    return JSONResponse({"status": "ok"})


def serves_from(config: dict[str, Any], store: str) -> bool:
    """Tell whether any collection's provider reads from *store*."""
    return any(
        os.path.normpath(str(provider.get("data"))) == os.path.normpath(store)
        for resource in config["resources"].values()
        for provider in resource.get("providers") or []
    )


def store_problem(reference: str, published: bool) -> str | None:
    """Return why the store cannot be read, or None when it can."""
    # A node that has published nothing yet has no GeoPackage file, and is fine.
    if not is_database(reference) and not Path(reference).exists():
        return "the store file does not exist" if published else None
    try:
        open_store(reference).layers()
    except Exception as err:  # the probe reports any failure as unhealthy
        LOGGER.warning("Store %s cannot be read: %s", _redact(reference), err)
        return f"the store cannot be read: {err}"
    return None


def _redact(store: str) -> str:
    """Return *store* without the password a database URL may carry."""
    parts = urlsplit(store)
    if parts.password is None:
        return store
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return parts._replace(netloc=netloc).geturl()


def _unhealthy(reason: str) -> JSONResponse:
    """Answer 503 with the reason."""
    LOGGER.warning("Health check failed: %s", reason)
    return JSONResponse({"status": "unavailable", "reason": reason}, status_code=503)
