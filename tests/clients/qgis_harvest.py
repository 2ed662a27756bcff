"""Open OAPIF collections in QGIS headless and print what it reads, as JSON.

Run with the system Python that has QGIS (`/usr/bin/python3`) and
QT_QPA_PLATFORM=offscreen: `qgis_harvest.py BASE_URL NAME [SUBSET]...`, one
collection per NAME, each NAME optionally followed by `--subset EXPRESSION`.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from qgis.core import QgsApplication, QgsVectorLayer


def read_layer(base: str, name: str, subset: str | None) -> dict[str, Any]:
    """Return the layer's validity, CRS, count, fields and features."""
    layer = QgsVectorLayer(f"url='{base}' typename='{name}'", name, "OAPIF")
    if not layer.isValid():
        return {"valid": False}
    if subset is not None and not layer.setSubsetString(subset):
        return {"valid": True, "subset": False}
    fields = [field.name() for field in layer.fields()]
    features = [
        {
            "id": feature.id(),
            "attributes": dict(
                zip(fields, map(plain, feature.attributes()), strict=True)
            ),
            "wkt": feature.geometry().asWkt(17) if feature.hasGeometry() else None,
        }
        for feature in layer.getFeatures()
    ]
    return {
        "valid": True,
        "crs": layer.crs().authid(),
        "count": layer.featureCount(),
        "fields": fields,
        "features": features,
    }


def plain(value: Any) -> Any:
    """Return a QGIS attribute value as JSON can carry it."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, "isNull") and value.isNull():
        return None
    if hasattr(value, "toString"):
        return value.toString("yyyy-MM-dd") if hasattr(value, "day") else str(value)
    return str(value)


def main(argv: list[str]) -> int:
    """Read each NAME of argv from the node at argv[0]; print one JSON document."""
    app = QgsApplication([], False)
    app.initQgis()
    base, rest, layers = argv[0], argv[1:], {}
    while rest:
        name, rest = rest[0], rest[1:]
        subset = None
        if rest[:1] == ["--subset"]:
            subset, rest = rest[1], rest[2:]
        layers[name if subset is None else f"{name}|{subset}"] = read_layer(
            base, name, subset
        )
    print(json.dumps(layers))
    app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
