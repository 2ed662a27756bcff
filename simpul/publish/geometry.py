"""Check geometries: null and empty ones, invalid ones repaired, one type per layer."""

from __future__ import annotations

import numpy as np
import shapely
from shapely.errors import GEOSException

from simpul.publish.report import PublishError, Report, first_rows, plural

#: Single and multi forms that one layer may mix; they are stored as the multi form.
MULTI = {
    "Point": "MultiPoint",
    "MultiPoint": "MultiPoint",
    "LineString": "MultiLineString",
    "MultiLineString": "MultiLineString",
    "Polygon": "MultiPolygon",
    "MultiPolygon": "MultiPolygon",
}
TYPE_NAMES = {
    0: "Point",
    1: "LineString",
    2: "LinearRing",
    3: "Polygon",
    4: "MultiPoint",
    5: "MultiLineString",
    6: "MultiPolygon",
    7: "GeometryCollection",
}
SINGLE_IDS = [0, 1, 3]
COLLECT = {
    "MultiPoint": shapely.multipoints,
    "MultiLineString": shapely.multilinestrings,
    "MultiPolygon": shapely.multipolygons,
}


def parse(label: str, wkb: np.ndarray, report: Report) -> np.ndarray:
    """Return shapely geometries, with empty ones turned into nulls (counted)."""
    try:
        geoms = shapely.from_wkb(wkb)
    except GEOSException as exc:
        raise PublishError(
            f"{label} has geometries the node cannot read ({exc}); curved geometries "
            "can be converted with ogr2ogr -nlt CONVERT_TO_LINEAR."
        ) from None
    nulls = np.flatnonzero(shapely.is_missing(geoms))
    empty = np.flatnonzero(shapely.is_empty(geoms))
    geoms[empty] = None
    for rows, what in ((nulls, "no geometry"), (empty, "an empty geometry")):
        if len(rows):
            report.warn(
                f"{plural(len(rows), 'feature')} with {what} (rows "
                f"{first_rows(rows + 1)}) kept with a null geometry"
            )
    return geoms


def repair(label: str, geoms: np.ndarray, offset: int = 0) -> np.ndarray:
    """Repair invalid geometries in place; return their 1-based row numbers."""
    bad = np.flatnonzero(~shapely.is_valid(geoms) & ~shapely.is_missing(geoms))
    if not len(bad):
        return bad
    fixed = shapely.make_valid(geoms[bad], method="structure", keep_collapsed=False)
    broken = (
        shapely.is_empty(fixed)
        | ~shapely.is_valid(fixed)
        | (shapely.get_dimensions(fixed) != shapely.get_dimensions(geoms[bad]))
    )
    if broken.any():
        rows = bad[broken] + offset + 1
        invalid = plural(len(rows), "invalid geometry", "invalid geometries")
        raise PublishError(
            f"{label} has {invalid} that cannot be repaired "
            f"(rows {first_rows(rows)}); fix them in a GIS and publish again."
        )
    geoms[bad] = fixed
    return bad + offset + 1


def unify(label: str, geoms: np.ndarray, report: Report) -> tuple[np.ndarray, str]:
    """Return geometries of one type and its OGC name; 'Unknown' when unrelated."""
    present = ~shapely.is_missing(geoms)
    type_ids = shapely.get_type_id(geoms)
    names = sorted({TYPE_NAMES[t] for t in np.unique(type_ids[present])})
    if not names:
        return geoms, "Unknown"
    if len(names) == 1:
        return geoms, names[0]

    multi = {MULTI.get(n) for n in names}
    if len(multi) != 1 or None in multi:
        report.warn(
            f"{label} mixes {', '.join(names)}; the layer's geometry type is Unknown"
        )
        return geoms, "Unknown"

    target = multi.pop()
    single = present & np.isin(type_ids, SINGLE_IDS)
    parts = geoms[single]
    geoms[single] = COLLECT[target](parts, indices=np.arange(len(parts)))
    report.note(f"{' and '.join(names)} mixed: all stored as {target}")
    return geoms, target


def extent(geoms: np.ndarray) -> tuple[float, float, float, float] | None:
    """Return the bounding box of all geometries, or None when there are none."""
    bounds = shapely.total_bounds(geoms)
    if np.isnan(bounds).any():
        return None
    minx, miny, maxx, maxy = (float(v) for v in bounds)
    return (minx, miny, maxx, maxy)
