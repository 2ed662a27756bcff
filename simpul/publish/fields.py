"""Turn GDAL attribute columns into store columns: names checked, types mapped."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from simpul.publish.reading import Table
from simpul.publish.report import PublishError, Report
from simpul.store.base import FieldType

#: The store's feature id column; no attribute may take its name.
ID_COLUMN = "fid"
#: The store's geometry column.
GEOMETRY_COLUMN = "geom"
OGR_TYPES = {
    "OFTInteger": FieldType.INTEGER,
    "OFTInteger64": FieldType.INTEGER,
    "OFTReal": FieldType.NUMBER,
    "OFTString": FieldType.STRING,
    "OFTDate": FieldType.DATE,
    "OFTDateTime": FieldType.DATETIME,
    "OFTBinary": FieldType.BINARY,
}
#: Names of update-date columns, preferred when a layer has several dates.
TIME_NAMES = ("tglupdate", "tgl_update", "tanggal", "updated", "date", "tgl")


@dataclass
class Columns:
    """Attribute columns ready for LayerData, with the feature ids to keep."""

    values: dict[str, list[Any]]
    types: dict[str, FieldType]
    ids: list[int] | None


def columns(label: str, table: Table, report: Report) -> Columns:
    """Return the attribute columns of *table* as Python values, checked."""
    check_names(label, table.names)
    ids = source_ids(table)
    values: dict[str, list[Any]] = {}
    types: dict[str, FieldType] = {}
    for i, name in enumerate(table.names):
        if name.lower() == ID_COLUMN:
            ids = id_column(label, name, table.values[i], report)
            continue
        kind = field_type(table.ogr_types[i], table.ogr_subtypes[i])
        types[name] = kind
        values[name] = convert(table.values[i], kind)
    return Columns(values, types, ids)


def check_names(label: str, names: list[str]) -> None:
    """Refuse attribute names that differ only in letter case, or are reserved."""
    seen: dict[str, str] = {}
    for name in names:
        if name.lower() == GEOMETRY_COLUMN:
            raise PublishError(
                f"{label} has an attribute named {name}, which the node keeps for "
                "geometries; rename it."
            )
        other = seen.setdefault(name.lower(), name)
        if other != name:
            raise PublishError(
                f"{label} has attributes whose names differ only in letter case "
                f"({other}, {name}); rename one of them."
            )


def source_ids(table: Table) -> list[int] | None:
    """Return the file's own feature ids when it has real ones (not row numbers)."""
    fids = table.fids
    if np.array_equal(fids, np.arange(len(fids))):
        return None
    if len(np.unique(fids)) != len(fids):
        return None
    return [int(v) for v in fids]


def id_column(label: str, name: str, data: np.ndarray, report: Report) -> list[int]:
    """Use an attribute called fid as the feature ids, if it can be one."""
    ints = data.dtype.kind in "iu" or (
        data.dtype.kind == "f" and np.isfinite(data).all() and (data % 1 == 0).all()
    )
    if not ints or len(np.unique(data)) != len(data):
        raise PublishError(
            f"{label} has an attribute named {name}, which the node keeps for "
            "feature ids, but its values are not unique integers; rename it."
        )
    report.note(f"attribute {name} used as the feature id")
    return [int(v) for v in data]


def field_type(ogr_type: str, ogr_subtype: str) -> FieldType:
    """Map an OGR field type to the store's FieldType; lists become strings."""
    if ogr_subtype == "OFSTBoolean":
        return FieldType.BOOLEAN
    return OGR_TYPES.get(ogr_type, FieldType.STRING)


def convert(data: np.ndarray, kind: FieldType) -> list[Any]:
    """Return the column as Python values, with None for missing ones."""
    cast = CASTS.get(kind, plain)
    return [None if missing(v) else cast(v) for v in data.tolist()]


def missing(value: Any) -> bool:
    """Tell whether GDAL gave no value (None or a float NaN)."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def plain(value: Any) -> Any:
    """Return strings as they are and anything else (lists) as JSON text."""
    if isinstance(value, str | bytes):
        return value
    return json.dumps(value, default=str)


CASTS: dict[FieldType, Callable[[Any], Any]] = {
    FieldType.INTEGER: int,
    FieldType.NUMBER: float,
    FieldType.BOOLEAN: bool,
    FieldType.DATE: lambda v: dt.date.fromisoformat(str(v)[:10]),
    FieldType.DATETIME: lambda v: utc(dt.datetime.fromisoformat(str(v))),
    FieldType.BINARY: bytes,
}


def utc(value: dt.datetime) -> dt.datetime:
    """Return *value* as naive UTC, the form the store keeps date-times in."""
    if value.tzinfo is None:
        return value
    return value.astimezone(dt.UTC).replace(tzinfo=None)


def title_field(names: list[str]) -> str | None:
    """Return the NAMOBJ attribute in its real letter case, if present."""
    return next((n for n in names if n.lower() == "namobj"), None)


def time_field(types: dict[str, FieldType]) -> str | None:
    """Return the one obvious date column: the only one, or the update date."""
    dates = [n for n, t in types.items() if t in (FieldType.DATE, FieldType.DATETIME)]
    if len(dates) == 1:
        return dates[0]
    for wanted in TIME_NAMES:
        named = [n for n in dates if n.lower() == wanted]
        if len(named) == 1:
            return named[0]
    return None
