"""KUGI conventions: layer names, required attributes and themes (warnings only)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from simpul.publish.report import Report, first_rows, plural

#: `<NAME>_<AR|LN|PT>_<scale>`, e.g. ADMINISTRASIDESA_AR_25K.
LAYER_NAME = re.compile(
    r"^(?P<feature>[A-Z][A-Z0-9]*)_(?P<kind>AR|LN|PT)_(?P<scale>\d+(?:[.,]\d+)?[KM]?)$",
    re.IGNORECASE,
)
KIND_TYPES = {
    "AR": ("Polygon", "MultiPolygon"),
    "LN": ("LineString", "MultiLineString"),
    "PT": ("Point", "MultiPoint"),
}
KIND_WORDS = {"AR": "area", "LN": "line", "PT": "point"}
REQUIRED = ("NAMOBJ", "FCODE", "REMARK", "METADATA", "SRS_ID")
#: Feature-name prefixes of the KUGI catalogue and the theme each belongs to.
THEMES = (
    ("ADMINISTRASI", "Batas Wilayah"),
    ("BATAS", "Batas Wilayah"),
    ("JALAN", "Transportasi"),
    ("JEMBATAN", "Transportasi"),
    ("REL", "Transportasi"),
    ("BANDARA", "Transportasi"),
    ("PELABUHAN", "Transportasi"),
    ("SUNGAI", "Hidrografi"),
    ("DANAU", "Hidrografi"),
    ("PANTAI", "Hidrografi"),
    ("KONTUR", "Hipsografi"),
    ("TITIKTINGGI", "Hipsografi"),
    ("BANGUNAN", "Bangunan"),
    ("PEMERINTAHAN", "Bangunan"),
    ("PENDIDIKAN", "Bangunan"),
    ("KESEHATAN", "Bangunan"),
    ("PERIBADATAN", "Bangunan"),
    ("PERMUKIMAN", "Penutup Lahan"),
    ("PENUTUPLAHAN", "Penutup Lahan"),
    ("HUTAN", "Penutup Lahan"),
    ("TOPONIMI", "Toponimi"),
    ("LISTRIK", "Utilitas"),
    ("PIPA", "Utilitas"),
    ("KAWASAN", "Kawasan"),
)


def parse_name(name: str) -> tuple[str, str, str] | None:
    """Return (feature, AR|LN|PT, scale) for a KUGI layer name, else None."""
    match = LAYER_NAME.match(name)
    if match is None:
        return None
    return match["feature"].upper(), match["kind"].upper(), match["scale"].upper()


def theme(name: str) -> str | None:
    """Return the KUGI theme a layer name belongs to, if recognised."""
    parsed = parse_name(name)
    feature = parsed[0] if parsed else name.upper()
    return next((t for prefix, t in THEMES if feature.startswith(prefix)), None)


def check(
    name: str, geometry_type: str, columns: dict[str, Sequence[Any]], report: Report
) -> None:
    """Warn where the dataset departs from KUGI conventions."""
    parsed = parse_name(name)
    if parsed is None:
        report.warn(
            f"name {name} does not follow the KUGI pattern <NAME>_<AR|LN|PT>_<scale> "
            "(e.g. ADMINISTRASIDESA_AR_25K)"
        )
    elif geometry_type not in KIND_TYPES[parsed[1]]:
        report.warn(
            f"name {name} says {KIND_WORDS[parsed[1]]} ({parsed[1]}) but the "
            f"geometries are {geometry_type}"
        )

    by_lower = {c.lower(): c for c in columns}
    absent = [r for r in REQUIRED if r.lower() not in by_lower]
    if absent:
        report.warn(f"KUGI attributes missing: {', '.join(absent)}")
    namobj = by_lower.get("namobj")
    if namobj is not None:
        blank = [i + 1 for i, v in enumerate(columns[namobj]) if is_blank(v)]
        if blank:
            report.warn(
                f"{plural(len(blank), 'feature')} with a blank {namobj} "
                f"(rows {first_rows(blank)})"
            )


def is_blank(value: Any) -> bool:
    """Tell whether a value is missing or only whitespace."""
    return value is None or (isinstance(value, str) and not value.strip())
