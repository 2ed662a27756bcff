"""Hand out pygeoapi API objects per configuration generation and base URL."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from copy import deepcopy

from pygeoapi.api import API
from starlette.requests import Request

from simpul.openapi import with_server_url
from simpul.server.baseurl import public_base_url
from simpul.server.reload import Snapshot, Watcher

LOGGER = logging.getLogger(__name__)

#: Distinct (generation, base URL) pairs kept; a node sees few public URLs.
CACHE_SIZE = 8


class ApiCache:
    """A small LRU cache of API objects keyed by (generation, base URL)."""

    def __init__(self, watcher: Watcher, size: int = CACHE_SIZE) -> None:
        self.watcher = watcher
        self.size = size
        self._apis: OrderedDict[tuple[int, str], API] = OrderedDict()
        self._lock = threading.Lock()

    def for_request(self, request: Request) -> API:
        """Return the API object that answers *request*."""
        snapshot = self.watcher.current()
        client = request.client.host if request.client else None
        base_url = public_base_url(
            snapshot.config["server"]["url"],
            request.headers,
            client,
            snapshot.settings.trusted_proxies,
        )
        return self.get(snapshot, base_url)

    def get(self, snapshot: Snapshot, base_url: str) -> API:
        """Return the cached API for *snapshot* at *base_url*, building it once."""
        key = (snapshot.generation, base_url)
        with self._lock:
            api = self._apis.get(key)
            if api is not None:
                self._apis.move_to_end(key)
                return api

            api = _build(snapshot, base_url)
            self._apis[key] = api
            for old in [k for k in self._apis if k[0] < snapshot.generation]:
                del self._apis[old]
            while len(self._apis) > self.size:
                self._apis.popitem(last=False)
            return api


def _build(snapshot: Snapshot, base_url: str) -> API:
    """Create an API object whose links start at *base_url*."""
    config = deepcopy(snapshot.config)
    config["server"]["url"] = base_url
    openapi = with_server_url(snapshot.openapi, base_url)
    LOGGER.debug("Building API for generation %d at %s", snapshot.generation, base_url)
    return API(config, openapi, {})
