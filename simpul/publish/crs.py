"""Decide the source CRS, check coordinates against it, and reproject to CRS84."""

from __future__ import annotations

import math

import numpy as np
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from simpul.publish.report import PublishError, Report

WGS84 = CRS.from_epsg(4326)
#: How far (degrees) data may reach beyond a CRS's published area of use.
AREA_MARGIN = 1.0


def source_crs(
    label: str,
    declared: str | None,
    override: str | None,
    report: Report,
    assume_wgs84: bool = False,
) -> CRS:
    """Return the CRS to read coordinates in: --crs, else the file's; refuse none."""
    if override:
        try:
            crs = CRS.from_user_input(override)
        except CRSError:
            raise PublishError(
                f"--crs {override} is not a coordinate reference system known to "
                "PROJ; give it like EPSG:32750."
            ) from None
        if declared and short(declared) != short(crs):
            report.warn(f"{label} declares {short(declared)}; using --crs {override}")
        return crs
    if declared:
        try:
            return CRS.from_user_input(declared)
        except CRSError:
            raise PublishError(
                f"{label} declares a coordinate reference system PROJ cannot "
                "read; give the right one with --crs, e.g. --crs EPSG:32750."
            ) from None
    if assume_wgs84:
        report.warn(f"{label} states no CRS; its lon/lat columns are read as WGS 84")
        return WGS84
    raise PublishError(
        f"{label} has no coordinate reference system (no .prj or CRS "
        "definition); give one with --crs, e.g. --crs EPSG:32750."
    )


def to_crs84(geoms: np.ndarray, crs: CRS) -> np.ndarray:
    """Return *geoms* reprojected from *crs* to lon/lat WGS 84."""
    if crs.equals(WGS84, ignore_axis_order=True):
        return geoms
    transformer = Transformer.from_crs(crs, "OGC:CRS84", always_xy=True)

    def project(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geoms, project)


def check(label: str, crs: CRS, native: np.ndarray, lonlat: np.ndarray) -> None:
    """Refuse coordinates that cannot be right for *crs* (given both bounds)."""
    if np.isnan(native).any():
        return
    if crs.is_geographic:
        check_degrees(label, crs, native)
    check_area(label, crs, lonlat, native)


def check_degrees(label: str, crs: CRS, bounds: np.ndarray) -> None:
    """Refuse degrees beyond ±180/±90, saying whether they look swapped or metric."""
    minx, miny, maxx, maxy = bounds
    if -180 <= minx and maxx <= 180 and -90 <= miny and maxy <= 90:
        return
    found = f"x {minx:.6g}…{maxx:.6g}, y {miny:.6g}…{maxy:.6g}"
    if max(abs(minx), abs(maxx)) <= 90 and max(abs(miny), abs(maxy)) <= 180:
        hint = "latitude and longitude look swapped; put longitude (x) first"
    elif max(abs(v) for v in bounds) > 1000:
        hint = "they look like metres (e.g. UTM, EPSG:32750); say so with --crs"
    else:
        hint = "check the file or give the right CRS with --crs"
    raise PublishError(
        f"{label} has coordinates ({found}) that are not valid degrees of "
        f"{short(crs)}: {hint}."
    )


def check_area(label: str, crs: CRS, lonlat: np.ndarray, native: np.ndarray) -> None:
    """Refuse data that falls outside the declared CRS's area of use."""
    area = crs.area_of_use
    if area is None:
        return
    west, south, east, north = lonlat
    inside = all(math.isfinite(v) for v in lonlat) and (
        west >= area.west - AREA_MARGIN
        and east <= area.east + AREA_MARGIN
        and south >= area.south - AREA_MARGIN
        and north <= area.north + AREA_MARGIN
    )
    if inside:
        return
    hint = "declare the right CRS with --crs"
    if crs.is_projected and np.abs(native).max() <= 360:
        hint = "its values look like degrees, so try --crs EPSG:4326"
    raise PublishError(
        f"{label} has coordinates outside the area of use of {short(crs)} "
        f"({crs.name}: lon {area.west:g}…{area.east:g}, lat {area.south:g}…"
        f"{area.north:g}); {hint}."
    )


def short(crs: CRS | str) -> str:
    """Return 'EPSG:32750' when the CRS has an authority code, else its name."""
    try:
        crs = CRS.from_user_input(crs)
    except CRSError:
        return str(crs)[:40]
    code = crs.to_authority(min_confidence=70)
    return ":".join(code) if code else crs.name
