"""Find the coordinate columns of a CSV file so GDAL's CSV driver can build points."""

from __future__ import annotations

import re

import pyogrio
from pyogrio.errors import DataSourceError

from simpul.publish.report import PublishError

X_NAMES = ("lon", "lng", "long", "longitude", "x", "bujur")
Y_NAMES = ("lat", "latitude", "y", "lintang")
WKT_NAMES = ("wkt", "geom", "geometry", "the_geom", "geometri", "shape")
#: Column names that say the values are degrees of WGS 84.
DEGREE_NAMES = frozenset(
    ("lon", "lng", "long", "longitude", "bujur", "lat", "latitude", "lintang")
)


def csv_open_options(label: str, gdal_path: str) -> dict[str, str]:
    """Return GDAL CSV open options naming the coordinate or WKT columns."""
    try:
        columns = [str(c) for c in pyogrio.read_info(gdal_path)["fields"]]
    except DataSourceError as exc:
        raise PublishError(f"{label} could not be read as CSV: {exc}") from None

    x = find_column(label, columns, X_NAMES)
    y = find_column(label, columns, Y_NAMES)
    common = {"AUTODETECT_TYPE": "YES", "KEEP_GEOM_COLUMNS": "NO"}
    if x and y:
        return {**common, "X_POSSIBLE_NAMES": x, "Y_POSSIBLE_NAMES": y}
    wkt = find_column(label, columns, WKT_NAMES)
    if wkt:
        return {**common, "GEOM_POSSIBLE_NAMES": wkt}
    raise PublishError(
        f"{label} has no coordinate columns (looked for {'/'.join(X_NAMES)} and "
        f"{'/'.join(Y_NAMES)}, or a WKT column); rename them or add a WKT column."
    )


def find_column(label: str, columns: list[str], names: tuple[str, ...]) -> str | None:
    """Return the one column called like *names*: whole name first, then a word."""
    whole = [c for c in columns if normal(c) in names]
    if not whole:
        whole = [c for c in columns if set(words(c)) & set(names)]
    if len(whole) > 1:
        raise PublishError(
            f"{label} has several candidate coordinate columns "
            f"({', '.join(whole)}); keep one of them."
        )
    return whole[0] if whole else None


def says_degrees(options: dict[str, str]) -> bool:
    """Tell whether the chosen coordinate columns are named as lon/lat degrees."""
    x = options.get("X_POSSIBLE_NAMES")
    return x is not None and bool(set(words(x)) & DEGREE_NAMES)


def normal(name: str) -> str:
    """Return *name* lowercased without surrounding spaces or quotes."""
    return name.strip().strip("\"'").lower()


def words(name: str) -> list[str]:
    """Split a column name into lowercase words at non-alphanumerics."""
    return [w for w in re.split(r"[^0-9a-z]+", name.lower()) if w]
