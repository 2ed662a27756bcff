"""Where a page's time goes: each layer of our node timed on its own."""

from __future__ import annotations

import functools
import os
import time
from pathlib import Path
from typing import Any

import yaml
from simpul_providers.features import FeatureProvider

from simpul.server.upstream import to_json
from simpul.store.base import Query

from . import floors
from .cases import COLLECTION, Case
from .timing import Client, measure

#: The stages, outermost last; each includes the ones before it.
STAGES = (
    "sqlite3 rows (floor), CPU",
    "store read: SQL, row dicts, GPB to WKB, CPU",
    "provider query: + shapely, GeoJSON dicts, count, CPU",
    "provider + JSON serialisation (orjson), CPU",
    "HTTP request, wall (fastest)",
)
SERVER_CPU = "server process CPU per HTTP request"


def breakdown(
    config: Path, table: floors.Table, case: Case, base_url: str, repeat: int
) -> dict[str, float]:
    """Return the ms of every stage of *case* on our node.

    In-process stages are timed in this thread's CPU time (median), which other
    load on the machine barely changes; the HTTP request in wall time (fastest).
    """
    os.environ["PYGEOAPI_CONFIG"] = str(config)
    provider_def = _provider_def(config)
    provider = FeatureProvider(provider_def)
    kwargs = _query_kwargs(case.path)
    query = Query(bbox=kwargs.get("bbox"), offset=kwargs["offset"], limit=1000)

    def store_read() -> None:
        list(provider.store.features(provider.layer, query))

    def provider_query() -> dict[str, Any]:
        return FeatureProvider(provider_def).query(**kwargs)

    def serialised() -> str:
        return to_json(provider_query())

    client = Client(base_url)
    sqlite = floors.SqliteFloor(table)
    works = (functools.partial(sqlite.rows, case.sql), store_read, provider_query)
    works += (serialised,)
    times = {
        stage: measure(work, repeat, clock=time.thread_time).median
        for stage, work in zip(STAGES, works, strict=False)
    }
    http = measure(functools.partial(client.get, case.path), repeat).minimum
    client.close()
    return times | {STAGES[-1]: http}


def server_cpu(pid: int, base_url: str, path: str, repeat: int) -> float:
    """Return the server process's CPU milliseconds per request of *path*."""
    client = Client(base_url)
    client.get(path)
    before = _cpu_seconds(pid)
    for _ in range(repeat):
        client.get(path)
    client.close()
    return (_cpu_seconds(pid) - before) * 1000 / repeat


def _cpu_seconds(pid: int) -> float:
    """Return the user plus system CPU seconds a process has used."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def overhead(base_url: str, repeat: int) -> dict[str, float]:
    """Return the fastest ms of tiny requests: fixed costs per request."""
    client = Client(base_url)
    paths = {
        "GET /healthz (Starlette, no pygeoapi)": "/healthz",
        "GET items?limit=1 (pygeoapi, one feature)": (
            f"/collections/{COLLECTION}/items?f=json&limit=1"
        ),
    }
    times = {
        k: measure(functools.partial(client.get, p), repeat).minimum
        for k, p in paths.items()
    }
    client.close()
    return times


def _provider_def(config: Path) -> dict[str, Any]:
    """Return the collection's feature provider definition from the node config."""
    doc = yaml.safe_load(config.read_text(encoding="utf-8"))
    providers = doc["resources"][COLLECTION]["providers"]
    return next(p for p in providers if p["type"] == "feature")


def _query_kwargs(path: str) -> dict[str, Any]:
    """Return the provider arguments of an items path."""
    params = dict(p.split("=", 1) for p in path.split("?", 1)[1].split("&"))
    bbox = [float(v) for v in params["bbox"].split(",")] if "bbox" in params else None
    return {"offset": int(params.get("offset", 0)), "limit": 1000, "bbox": bbox}
