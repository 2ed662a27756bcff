"""The catalogue's records in memory, reloaded when the catalogue file changes."""

from __future__ import annotations

import datetime as dt
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely

from simpul.catalogue.repository import read_records


@dataclass(frozen=True)
class Entry:
    """One record with what searching it needs."""

    id: str
    record: dict[str, Any]
    iso: str
    values: dict[str, Any]
    text: str
    geometry: Any
    span: tuple[dt.datetime | None, dt.datetime | None]


_cache: dict[Path, tuple[tuple, list[Entry]]] = {}
_lock = threading.Lock()


def load_entries(path: Path) -> list[Entry]:
    """Return every record of the catalogue at *path*, cached per file version."""
    signature = tuple(_stat(p) for p in (path, Path(f"{path}-wal")))
    with _lock:
        cached = _cache.get(path)
        if cached is not None and cached[0] == signature:
            return cached[1]
        entries = [_entry(i, x, r) for i, x, r in read_records(path)]
        _cache[path] = (signature, entries)
        return entries


def _stat(path: Path) -> tuple[int, int, int] | None:
    """Return what changes when SQLite rewrites *path*."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def _entry(identifier: str, iso: str, record: dict[str, Any]) -> Entry:
    """Return the searchable form of one stored record."""
    props = record.get("properties") or {}
    values = {k: props.get(k) for k in ("title", "description", "type")}
    values |= {
        "id": identifier,
        "keywords": list(props.get("keywords") or []),
        "created": _datetime(props.get("created")),
        "updated": _datetime(props.get("updated")),
        "accessClass": props.get("accessClass"),
        "kodeSimpul": props.get("kodeSimpul"),
        "organisation": props.get("organisation"),
    }
    geometry = record.get("geometry")
    values["geometry"] = shapely.geometry.shape(geometry) if geometry else None
    text = " ".join(
        [str(values["title"] or ""), str(values["description"] or "")]
        + values["keywords"]
    ).lower()
    return Entry(
        identifier, record, iso, values, text, values["geometry"], _span(record)
    )


def _span(record: dict[str, Any]) -> tuple[dt.datetime | None, dt.datetime | None]:
    """Return the record's time interval, else its creation instant."""
    interval = (record.get("time") or {}).get("interval")
    if interval:
        end = _datetime(interval[1]) or dt.datetime.max.replace(tzinfo=dt.UTC)
        return _datetime(interval[0]), end
    created = _datetime((record.get("properties") or {}).get("created"))
    return created, created


def _datetime(value: Any) -> dt.datetime | None:
    """Parse an ISO 8601 date or date-time; give naive values UTC."""
    if not value or value == "..":
        return None
    try:
        parsed = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
