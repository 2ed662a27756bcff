"""The PostGIS store's registry and the schema of its layer tables."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from importlib import resources
from typing import Any

from .base import Field, FieldType, Layer

REGISTRY = "simpul_layers"

#: What reading the registry row of one layer selects, in Layer's order.
REGISTRY_ROW = (
    f"SELECT table_name, version, geometry_type, feature_count,"
    f" min_x, min_y, max_x, max_y, dense_ids FROM {REGISTRY} WHERE name = %s"
)

#: PostgreSQL type names (pg_type.typname) to field types.
FIELD_TYPES = {
    "int2": FieldType.INTEGER,
    "int4": FieldType.INTEGER,
    "int8": FieldType.INTEGER,
    "float4": FieldType.NUMBER,
    "float8": FieldType.NUMBER,
    "numeric": FieldType.NUMBER,
    "text": FieldType.STRING,
    "varchar": FieldType.STRING,
    "bool": FieldType.BOOLEAN,
    "date": FieldType.DATE,
    "timestamp": FieldType.DATETIME,
    "timestamptz": FieldType.DATETIME,
    "bytea": FieldType.BINARY,
}

#: Field types to the column types the writer creates. Text compares and sorts
#: byte by byte, as in the GeoPackage store, whatever the database's locale.
COLUMN_TYPES = {
    FieldType.INTEGER: "bigint",
    FieldType.NUMBER: "double precision",
    FieldType.STRING: 'text COLLATE "C"',
    FieldType.BOOLEAN: "boolean",
    FieldType.DATE: "date",
    FieldType.DATETIME: "timestamp",
    FieldType.BINARY: "bytea",
}

COLUMNS = """
SELECT a.attname, t.typname, coalesce(i.indisprimary, false)
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_index i
  ON i.indrelid = c.oid AND i.indisprimary AND a.attnum = ANY(i.indkey)
WHERE c.relname = %s AND c.relnamespace = current_schema()::regnamespace
  AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum
"""

Rows = Callable[[str, Sequence[Any]], list[tuple]]


def registry_ddl() -> str:
    """Return the statement creating the registry table when it is missing."""
    return resources.files(__package__).joinpath("postgis_registry.sql").read_text()


def describe(rows: Rows, name: str, registry_row: Sequence[Any]) -> Layer:
    """Return the layer *name* from its registry row and its table's columns."""
    table, version, geometry_type, count, *bounds, dense = registry_row
    pk, geometry, fields = "fid", None, []
    for column, typname, is_pk in rows(COLUMNS, [table]):
        if is_pk:
            pk = column
        elif typname == "geometry" and geometry is None:
            geometry = column
        else:
            fields.append(Field(column, FIELD_TYPES.get(typname, FieldType.STRING)))
    return Layer(
        name=name,
        table=table,
        pk=pk,
        geometry_column=geometry,
        geometry_type=geometry_type,
        fields=tuple(fields),
        extent=tuple(bounds) if bounds[0] is not None else None,
        count=int(count),
        version=version,
        dense_ids=bool(dense),
    )
