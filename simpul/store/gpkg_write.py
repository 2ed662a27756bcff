"""Writing layers into the embedded GeoPackage store.

GDAL (through pyogrio) writes each new version of a layer as a table of its own,
with its R-tree index; a registry table then points the layer's name at it in one
SQLite transaction. Readers see either the old table or the new one, never half.
"""

from __future__ import annotations

import contextlib
import logging
import re
import sqlite3
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyogrio.raw
import shapely

from simpul.locks import exclusive

from . import release
from .base import (
    STORAGE_SRID,
    FieldType,
    Layer,
    LayerData,
    LayerNotFound,
    StoreError,
    StoreWriter,
)
from .gpkg_read import REGISTRY, GeoPackageStore

LOGGER = logging.getLogger(__name__)

NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,62}$")

#: Seconds an old table stays after the swap, for requests that already chose it.
GRACE_SECONDS = 1.0

REGISTRY_DDL = f"""
CREATE TABLE IF NOT EXISTS {REGISTRY} (
    name TEXT PRIMARY KEY,
    table_name TEXT NOT NULL,
    version TEXT NOT NULL,
    geometry_type TEXT NOT NULL,
    feature_count INTEGER NOT NULL,
    min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE,
    published TEXT NOT NULL,
    dense_ids INTEGER NOT NULL DEFAULT 0
)"""

NUMPY_TYPES = {
    FieldType.INTEGER: "int64",
    FieldType.NUMBER: "float64",
    FieldType.BOOLEAN: "bool",
    FieldType.DATE: "datetime64[D]",
    FieldType.DATETIME: "datetime64[ms]",
    FieldType.STRING: "object",
    FieldType.BINARY: "object",
}


class GeoPackageWriter(StoreWriter):
    """Publishes layers into one GeoPackage file."""

    def __init__(self, path: Path, grace_seconds: float = GRACE_SECONDS) -> None:
        self.path = Path(path)
        self.grace_seconds = grace_seconds

    def replace_layer(self, name: str, data: LayerData) -> Layer:
        check_name(name)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock():
            version = time.strftime("%Y%m%d%H%M%S") + uuid.uuid4().hex[:6]
            table = f"{name}__{version}"
            release(str(self.path))
            self._write_table(table, data)
            with self._connect() as conn:
                _ensure_registry(conn)
                self._drop_orphans(conn, name, keep=table)
                old = conn.execute(
                    f"SELECT table_name FROM {REGISTRY} WHERE name = ?", (name,)
                ).fetchone()
                extent = _extent(data)
                conn.execute(
                    f"INSERT OR REPLACE INTO {REGISTRY} VALUES "
                    "(?, ?, ?, ?, ?, ?, ?, ?, ?, "
                    "strftime('%Y-%m-%dT%H:%M:%fZ','now'), ?)",
                    (
                        name,
                        table,
                        version,
                        data.geometry_type,
                        len(data),
                        *extent,
                        _dense(data),
                    ),
                )
            if old is not None:
                time.sleep(self.grace_seconds)
                with self._connect() as conn:
                    _drop_table(conn, old[0])
        reader = GeoPackageStore(self.path)
        try:
            return reader.layer(name)
        finally:
            reader.close()

    def drop_layer(self, name: str) -> None:
        check_name(name)
        if not self.path.exists():
            raise LayerNotFound(name)
        with self._lock(), self._connect() as conn:
            _ensure_registry(conn)
            row = conn.execute(
                f"SELECT table_name FROM {REGISTRY} WHERE name = ?", (name,)
            ).fetchone()
            if row is None:
                raise LayerNotFound(name)
            conn.execute(f"DELETE FROM {REGISTRY} WHERE name = ?", (name,))
            _drop_table(conn, row[0])

    def _write_table(self, table: str, data: LayerData) -> None:
        fields, arrays, masks = [], [], []
        if data.ids is not None:
            fields.append("fid")
            arrays.append(np.asarray(data.ids, dtype="int64"))
            masks.append(None)
        for col, values in data.columns.items():
            ftype = data.types[col]
            mask = np.array([v is None for v in values], dtype=bool)
            filled = [_fill(v, ftype) for v in values]
            fields.append(col)
            arrays.append(np.asarray(filled, dtype=NUMPY_TYPES[ftype]))
            masks.append(mask if mask.any() else None)
        geometry = np.array(list(data.wkb), dtype=object)
        LOGGER.info("writing %d features to table %s", len(data), table)
        try:
            pyogrio.raw.write(
                str(self.path),
                geometry=geometry,
                field_data=arrays,
                fields=fields,
                field_mask=masks,
                layer=table,
                driver="GPKG",
                geometry_type=data.geometry_type,
                crs=f"EPSG:{STORAGE_SRID}",
                promote_to_multi=False,
                encoding="UTF-8",
                layer_options={"FID": "fid", "SPATIAL_INDEX": "YES"},
            )
        except Exception as err:
            raise StoreError(f"writing the layer failed: {err}") from err
        conn = sqlite3.connect(self.path, timeout=30)
        try:
            conn.execute("PRAGMA journal_mode = WAL")
        finally:
            conn.close()

    def _lock(self) -> contextlib.AbstractContextManager[None]:
        return exclusive(f"{self.path}.lock")

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        finally:
            conn.close()

    def _drop_orphans(self, conn: sqlite3.Connection, name: str, keep: str) -> None:
        """Drop tables of *name* left by a publish that died before its swap."""
        live = {r[0] for r in conn.execute(f"SELECT table_name FROM {REGISTRY}")}
        prefix = f"{name}__"
        for (table,) in conn.execute("SELECT table_name FROM gpkg_contents").fetchall():
            if (
                table.startswith(prefix)
                and table not in live
                and table != keep
                and re.fullmatch(r"\d{14}[0-9a-f]{6}", table[len(prefix) :])
            ):
                LOGGER.info("dropping unfinished table %s", table)
                _drop_table(conn, table)


def _ensure_registry(conn: sqlite3.Connection) -> None:
    """Create the registry, or add the columns a store from an older writer lacks."""
    conn.execute(REGISTRY_DDL)
    columns = {r[1] for r in conn.execute(f"PRAGMA table_info({REGISTRY})")}
    if "dense_ids" not in columns:
        conn.execute(
            f"ALTER TABLE {REGISTRY} ADD COLUMN dense_ids INTEGER NOT NULL DEFAULT 0"
        )


def check_name(name: str) -> None:
    """Refuse a layer name that cannot be a table name and a URL path part."""
    if not NAME.match(name):
        raise ValueError(
            f"invalid dataset name {name!r}: use letters, digits, '_' or '-', "
            "starting with a letter, at most 63 characters"
        )


def _drop_table(conn: sqlite3.Connection, table: str) -> None:
    quoted = '"' + table.replace('"', '""') + '"'
    for (col,) in conn.execute(
        "SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (table,)
    ).fetchall():
        rtree = '"' + f"rtree_{table}_{col}".replace('"', '""') + '"'
        conn.execute(f"DROP TABLE IF EXISTS {rtree}")
    conn.execute(f"DROP TABLE IF EXISTS {quoted}")
    for meta in (
        "gpkg_geometry_columns",
        "gpkg_extensions",
        "gpkg_ogr_contents",
        "gpkg_contents",
    ):
        conn.execute(f"DELETE FROM {meta} WHERE table_name = ?", (table,))


def _dense(data: LayerData) -> bool:
    """Tell whether the layer's keys will be exactly 1..len(data)."""
    if data.ids is None:
        return True  # a new table numbers its rows 1, 2, 3, ...
    ids = np.sort(np.asarray(data.ids, dtype="int64"))
    return bool(
        len(ids) == 0
        or (ids[0] == 1 and ids[-1] == len(ids) and (np.diff(ids) == 1).all())
    )


def _fill(value: object, ftype: FieldType) -> object:
    if value is not None:
        return value
    return {
        FieldType.INTEGER: 0,
        FieldType.NUMBER: 0.0,
        FieldType.BOOLEAN: False,
        FieldType.DATE: "NaT",
        FieldType.DATETIME: "NaT",
    }.get(ftype)


def _extent(data: LayerData) -> tuple[float | None, ...]:
    geoms = shapely.from_wkb([w for w in data.wkb if w is not None])
    if len(geoms) == 0:
        return (None, None, None, None)
    bounds = shapely.total_bounds(geoms)
    if np.isnan(bounds).any():
        return (None, None, None, None)
    return tuple(float(b) for b in bounds)
