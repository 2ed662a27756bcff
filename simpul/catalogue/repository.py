"""The catalogue: pycsw's repository in one SQLite file, read by CSW and Records."""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

from lxml import etree
from pycsw.core import metadata, repository, util
from pycsw.core.config import StaticContext

LOGGER = logging.getLogger(__name__)

TABLE = "records"
_SETUP_LOCK = threading.Lock()


def database_url(path: Path) -> str:
    """Return the SQLAlchemy URL pycsw opens *path* with."""
    return f"sqlite:///{path.absolute()}"


def ensure_repository(path: Path) -> None:
    """Create the catalogue with pycsw's schema unless it exists already."""
    with _SETUP_LOCK:
        if path.exists():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        LOGGER.info("Creating the catalogue %s", path)
        repository.setup(database_url(path), TABLE)


def upsert(path: Path, iso_xml: bytes, record: dict[str, Any]) -> str:
    """Store one record: pycsw's columns parsed from the ISO, and its GeoJSON."""
    ensure_repository(path)
    context = StaticContext()
    repo = repository.Repository(database_url(path), context, table=TABLE)
    parsed = metadata.parse_record(context, etree.fromstring(iso_xml), repo)[0]
    # The OGC API - Records form travels in pycsw's column for JSON records.
    parsed.metadata = json.dumps(record, ensure_ascii=False)
    parsed.metadata_type = "application/json"

    identifier = parsed.identifier
    if repo.query_ids([identifier]):
        repo.update(parsed)
    else:
        repo.insert(parsed, "local", util.get_today_and_now())
    return identifier


def delete(path: Path, identifier: str) -> bool:
    """Remove the record *identifier*; tell whether one was there."""
    if not path.exists():
        return False
    with closing(sqlite3.connect(path)) as conn, conn:
        sql = f"DELETE FROM {TABLE} WHERE identifier = ?"
        cursor = conn.execute(sql, (identifier,))
        return cursor.rowcount > 0


def read_records(path: Path) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Yield (identifier, ISO XML, GeoJSON record) of every record."""
    if not path.exists():
        return
    uri = f"{path.absolute().as_uri()}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as conn:
        rows = conn.execute(
            f"SELECT identifier, xml, metadata FROM {TABLE} "
            "WHERE metadata_type = 'application/json' ORDER BY identifier"
        )
        for identifier, xml, document in rows:
            yield identifier, xml, json.loads(document)
