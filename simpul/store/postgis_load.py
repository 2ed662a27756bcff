"""Load one version of a layer into a new PostGIS table, ready to serve.

The table gets the feature ids as primary key, a typed geometry column in the
storage CRS, a GiST index and fresh planner statistics, all inside the caller's
transaction: a load that dies half-way leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from typing import Any

import psycopg
from psycopg import sql

from .base import STORAGE_SRID, LayerData, StoreError
from .postgis_schema import COLUMN_TYPES

LOGGER = logging.getLogger(__name__)

PK = "fid"
GEOMETRY = "geom"
GEOMETRY_TYPES = {
    "Point",
    "LineString",
    "Polygon",
    "MultiPoint",
    "MultiLineString",
    "MultiPolygon",
    "GeometryCollection",
}


def load_table(conn: psycopg.Connection, table: str, data: LayerData) -> None:
    """Create *table* holding *data*, indexed and analysed."""
    clash = {PK, GEOMETRY} & set(data.columns)
    if clash:
        raise StoreError(f"attribute names reserved by the store: {sorted(clash)}")
    name = sql.Identifier(table)
    kind = data.geometry_type if data.geometry_type in GEOMETRY_TYPES else "Geometry"
    columns = [
        sql.SQL("{} {}").format(sql.Identifier(col), sql.SQL(COLUMN_TYPES[ftype]))
        for col, ftype in data.types.items()
    ]
    conn.execute(
        sql.SQL("CREATE TABLE {} ({} bigint NOT NULL, {} geometry({}, {}){})").format(
            name,
            sql.Identifier(PK),
            sql.Identifier(GEOMETRY),
            sql.SQL(kind),
            sql.Literal(STORAGE_SRID),
            sql.SQL("").join(sql.SQL(", ") + c for c in columns),
        )
    )

    LOGGER.info("copying %d features into %s", len(data), table)
    names = [PK, GEOMETRY, *data.columns]
    copy = sql.SQL("COPY {} ({}) FROM STDIN").format(
        name, sql.SQL(", ").join(map(sql.Identifier, names))
    )
    with conn.cursor().copy(copy) as pipe:
        for row in _records(data):
            pipe.write_row(row)

    conn.execute(
        sql.SQL("ALTER TABLE {} ADD PRIMARY KEY ({})").format(name, sql.Identifier(PK))
    )
    # PostgreSQL names the index itself: a name built from a 63-character
    # table name would be cut back to the table's own name and collide.
    conn.execute(
        sql.SQL("CREATE INDEX ON {} USING GIST ({})").format(
            name, sql.Identifier(GEOMETRY)
        )
    )
    conn.execute(sql.SQL("ANALYZE {}").format(name))


def grant_read(conn: psycopg.Connection, table: str, role: str) -> None:
    """Let the serving role read *table*, when that role exists."""
    found = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
    if found.fetchone() is None:
        LOGGER.warning("role %s does not exist; %s is not granted to it", role, table)
        return
    conn.execute(
        sql.SQL("GRANT SELECT ON {} TO {}").format(
            sql.Identifier(table), sql.Identifier(role)
        )
    )


def _records(data: LayerData) -> Iterator[list[Any]]:
    """Yield one COPY row per feature: id, hex WKB, then the attributes."""
    ids = data.ids if data.ids is not None else range(1, len(data) + 1)
    columns = [[_value(v) for v in values] for values in data.columns.values()]
    for i, (fid, wkb) in enumerate(zip(ids, data.wkb, strict=True)):
        yield [int(fid), None if wkb is None else wkb.hex(), *(c[i] for c in columns)]


def _value(value: Any) -> Any:
    """Return *value* as the column stores it."""
    if isinstance(value, str):
        # PostgreSQL text cannot hold NUL characters.
        return value.replace("\x00", "")
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value
