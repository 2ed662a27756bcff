"""The catalogue: pycsw's repository in one SQLite file, read by CSW and Records."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

from lxml import etree
from pycsw.core import metadata, repository, util
from pycsw.core.config import StaticContext

from simpul.locks import exclusive

LOGGER = logging.getLogger(__name__)

TABLE = "records"


def database_url(path: Path) -> str:
    """Return the SQLAlchemy URL pycsw opens *path* with."""
    return f"sqlite:///{path.absolute()}"


def _writing(path: Path) -> contextlib.AbstractContextManager[None]:
    """Return the catalogue's write lock, shared by every process and thread.

    Publishing several datasets at once must neither read a catalogue that is
    still being created nor lose a record to another process's write.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    return exclusive(f"{path}.lock")


def _create(path: Path) -> None:
    """Create the catalogue beside *path* and move it in whole (lock held)."""
    if path.exists():
        return
    LOGGER.info("Creating the catalogue %s", path)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    try:
        repository.setup(database_url(partial), TABLE)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def ensure_repository(path: Path) -> None:
    """Create the catalogue with pycsw's schema unless it exists already."""
    if not path.exists():
        with _writing(path):
            _create(path)


def upsert(path: Path, iso_xml: bytes, record: dict[str, Any]) -> str:
    """Store one record: pycsw's columns parsed from the ISO, and its GeoJSON."""
    with _writing(path):
        _create(path)
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
    with _writing(path), closing(sqlite3.connect(path)) as conn, conn:
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
