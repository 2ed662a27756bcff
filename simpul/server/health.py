"""The /healthz probe: the configuration loads and the store can be opened."""

from __future__ import annotations

import asyncio
import importlib
import logging
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse

from simpul.server.reload import ConfigUnavailable, Watcher

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

    problem = await asyncio.get_running_loop().run_in_executor(
        None, store_problem, snapshot.settings.store
    )
    if problem:
        return _unhealthy(problem)
    return JSONResponse({"status": "ok"})


def store_problem(store: str) -> str | None:
    """Return why *store* cannot be opened, or None when it can."""
    opener = _store_opener()
    try:
        if opener is not None:
            opened = opener(store)
            close = getattr(opened, "close", None)
            if callable(close):
                close()
        elif "://" not in store:
            _check_file_store(Path(store))
    except Exception as err:  # the probe reports any failure as unhealthy
        LOGGER.warning("Store %s cannot be opened: %s", _redact(store), err)
        return f"store cannot be opened: {err}"
    return None


def _store_opener():  # noqa: ANN202 - the store package may not provide one
    """Return the store package's `open_store(url)`, when it provides one."""
    module = importlib.import_module("simpul.store")
    return getattr(module, "open_store", None)


def _check_file_store(path: Path) -> None:
    """Open a GeoPackage read-only; a node with nothing published has none yet."""
    if not path.exists():
        if not path.parent.is_dir():
            raise FileNotFoundError(f"folder {path.parent} does not exist")
        return
    with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as connection:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    connection.close()


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
