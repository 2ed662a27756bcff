"""The gunicorn worker class that runs the node's ASGI app with uvicorn."""

from __future__ import annotations

from typing import Any

from uvicorn_worker import UvicornWorker


class Worker(UvicornWorker):
    """A uvicorn worker that leaves X-Forwarded-* to the node's own judgement.

    The node honours forwarded headers only from simpul.trusted_proxies, so
    uvicorn must not rewrite the client address from them first.
    """

    CONFIG_KWARGS: dict[str, Any] = {
        **UvicornWorker.CONFIG_KWARGS,
        "proxy_headers": False,
        "server_header": False,
    }
