"""Publishing layers into a PostgreSQL/PostGIS store.

Each new version of a layer is loaded into a table of its own and the registry
row pointing the layer's name at it is replaced, all in one transaction:
readers see the old table or the new one, never half. The old table is dropped
after a grace period, without ever queueing readers behind the drop.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import time
import uuid
from collections.abc import Iterator

import psycopg
from psycopg import errors, sql

from .base import Layer, LayerData, LayerNotFound, StoreError, StoreWriter
from .gpkg_write import GRACE_SECONDS, _dense, _extent, check_name
from .postgis_load import grant_read, load_table
from .postgis_schema import REGISTRY, REGISTRY_ROW, describe, registry_ddl

LOGGER = logging.getLogger(__name__)

#: Role that serves the layers and may only read them.
READ_ROLE = "simpul_reader"
VERSION = re.compile(r"\d{14}[0-9a-f]{6}")


class PostGISWriter(StoreWriter):
    """Publishes layers into one PostgreSQL database, as the publishing role."""

    def __init__(self, url: str, grace_seconds: float = GRACE_SECONDS) -> None:
        self.url = url
        self.grace_seconds = grace_seconds
        self.read_role = os.environ.get("SIMPUL_DB_READ_ROLE", READ_ROLE)

    def replace_layer(self, name: str, data: LayerData) -> Layer:
        check_name(name)
        version = time.strftime("%Y%m%d%H%M%S") + uuid.uuid4().hex[:6]
        table = f"{name[:41]}__{version}"
        with self._transaction() as conn:
            self._drop_unserved(conn, name)
            load_table(conn, table, data)
            grant_read(conn, table, self.read_role)
            old = conn.execute(
                f"SELECT table_name FROM {REGISTRY} WHERE name = %s FOR UPDATE", [name]
            ).fetchone()
            conn.execute(
                f"INSERT INTO {REGISTRY} (name, table_name, version, geometry_type,"
                " feature_count, min_x, min_y, max_x, max_y, dense_ids)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (name) DO UPDATE SET table_name = EXCLUDED.table_name,"
                " version = EXCLUDED.version, geometry_type = EXCLUDED.geometry_type,"
                " feature_count = EXCLUDED.feature_count, min_x = EXCLUDED.min_x,"
                " min_y = EXCLUDED.min_y, max_x = EXCLUDED.max_x,"
                " max_y = EXCLUDED.max_y, dense_ids = EXCLUDED.dense_ids,"
                " published = now()",
                [
                    name,
                    table,
                    version,
                    data.geometry_type,
                    len(data),
                    *_extent(data),
                    _dense(data),
                ],
            )
            layer = self._describe(conn, name)
        if old is not None:
            self._retire(old[0])
        return layer

    def drop_layer(self, name: str) -> None:
        check_name(name)
        with self._transaction() as conn:
            row = conn.execute(
                f"DELETE FROM {REGISTRY} WHERE name = %s RETURNING table_name", [name]
            ).fetchone()
        if row is None:
            raise LayerNotFound(name)
        self._retire(row[0])

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[psycopg.Connection]:
        """Yield a connection in one transaction, holding the publishing lock."""
        try:
            with psycopg.connect(self.url, connect_timeout=10) as conn:
                conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [REGISTRY])
                conn.execute(registry_ddl())
                yield conn
        except psycopg.Error as err:
            raise StoreError(f"the database refused the change: {err}") from err

    def _describe(self, conn: psycopg.Connection, name: str) -> Layer:
        row = conn.execute(REGISTRY_ROW, [name]).fetchone()
        assert row is not None
        return describe(lambda q, p: conn.execute(q, p).fetchall(), name, row)

    def _drop_unserved(self, conn: psycopg.Connection, name: str) -> None:
        """Drop versions of *name* that no registry row serves any more."""
        tables = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
            f" AND tablename NOT IN (SELECT table_name FROM {REGISTRY})"
            " AND starts_with(tablename, %s)",
            [f"{name[:41]}__"],
        ).fetchall()
        for (table,) in tables:
            if VERSION.fullmatch(table[len(name[:41]) + 2 :]):
                LOGGER.info("dropping unserved table %s", table)
                conn.execute(sql.SQL("DROP TABLE {}").format(sql.Identifier(table)))

    def _retire(self, table: str, attempts: int = 5) -> None:
        """Drop *table* once readers that chose it before the swap are done."""
        time.sleep(self.grace_seconds)
        drop = sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(table))
        for _ in range(attempts):
            try:
                with psycopg.connect(self.url, connect_timeout=10) as conn:
                    # Waiting for a long read must not hold new readers in line.
                    conn.execute("SET LOCAL lock_timeout = '2s'")
                    conn.execute(drop)
                return
            except errors.LockNotAvailable:
                time.sleep(1.0)
            except psycopg.Error as err:
                LOGGER.warning("could not drop %s: %s", table, err)
                return
        LOGGER.warning("%s is still in use; the next publish drops it", table)
