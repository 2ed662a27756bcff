"""Read one layer with pyogrio (GDAL) into plain arrays, 2D, text as UTF-8."""

from __future__ import annotations

import logging
import re
import warnings
from dataclasses import dataclass

import numpy as np
import pyogrio.raw
from pyogrio.errors import DataLayerError, DataSourceError, FieldError

from simpul.publish.report import PublishError, Report, plural
from simpul.publish.sources import Source, gdal_message

logger = logging.getLogger(__name__)


@dataclass
class Table:
    """The raw content of one layer as GDAL returned it."""

    crs: str | None
    geometry_type: str
    fids: np.ndarray
    wkb: np.ndarray  # object array of bytes or None, in the source CRS
    names: list[str]
    ogr_types: list[str]
    ogr_subtypes: list[str]
    values: list[np.ndarray]

    def __len__(self) -> int:
        return len(self.wkb)


#: C1 control characters: in text decoded as ISO-8859-1 they betray Windows-1252.
C1_CONTROLS = re.compile("[\x80-\x9f]")


def read_table(source: Source, report: Report) -> Table:
    """Read every feature of *source*, dropping Z and M values."""
    table, encoding = read_once(source, None)
    if encoding == "ISO-8859-1" and has_c1_controls(table):
        # A DBF without .cpg or code-page mark is read as ISO-8859-1 by GDAL;
        # Windows (ANSI) DBFs put punctuation such as "–" in 0x80-0x9F.
        table, _ = read_once(source, "cp1252")
        report.note(f"{source.label} has no code page mark; read as Windows-1252")
    report.note(f"read {plural(len(table), 'feature')} from {source.label}")
    return table


def has_c1_controls(table: Table) -> bool:
    """Tell whether any text value holds a C1 control character."""
    return any(
        isinstance(v, str) and C1_CONTROLS.search(v)
        for column, kind in zip(table.values, table.ogr_types, strict=True)
        if kind == "OFTString"
        for v in column
    )


def read_once(source: Source, encoding: str | None) -> tuple[Table, str]:
    """Read *source* once; return the table and the encoding GDAL reported."""
    options = dict(source.open_options)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            meta, fids, wkb, values = pyogrio.raw.read(
                source.gdal_path,
                layer=source.layer,
                force_2d=True,
                return_fids=True,
                datetime_as_string=True,
                encoding=encoding,
                **options,
            )
    except (DataSourceError, DataLayerError, FieldError, ValueError) as exc:
        raise PublishError(
            f"{source.label} could not be read: {gdal_message(exc)}."
        ) from None
    for warning in caught:
        logger.debug("GDAL while reading %s: %s", source.label, warning.message)

    if wkb is None:
        raise PublishError(f"{source.label} has no geometry column.")
    table = Table(
        crs=meta.get("crs"),
        geometry_type=str(meta.get("geometry_type") or "Unknown"),
        fids=np.asarray(fids),
        wkb=wkb,
        names=[str(n) for n in meta["fields"]],
        ogr_types=list(meta["ogr_types"]),
        ogr_subtypes=list(meta.get("ogr_subtypes") or ["OFSTNone"] * len(values)),
        values=list(values),
    )
    return table, str(meta.get("encoding") or "")
