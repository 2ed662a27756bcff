"""The `catalogue` collection entry that serves the records through pygeoapi."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap

from simpul.catalogue.node import CATALOGUE_ID, DEFAULT_DATABASE
from simpul.publish import config

PROVIDER = "simpul_providers.records.RecordsProvider"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"


def catalogue_resource(database: str = DEFAULT_DATABASE) -> dict[str, Any]:
    """Return the collection entry of the catalogue, reading *database*."""
    return {
        "type": "collection",
        "title": {
            "id": "Katalog metadata simpul jaringan",
            "en": "Metadata catalogue of the network node",
        },
        "description": {
            "id": "Metadata (SNI 8843-1 / ISO 19115) setiap dataset simpul; "
            "rekaman yang sama tersedia melalui CSW 2.0.2 di /csw.",
            "en": "Metadata (SNI 8843-1 / ISO 19115) of every dataset of the "
            "node; the same records are served over CSW 2.0.2 at /csw.",
        },
        "keywords": ["katalog", "metadata", "catalogue", "JIGN"],
        "links": [],
        "extents": {"spatial": {"bbox": [94.0, -11.0, 141.0, 6.0], "crs": CRS84}},
        "providers": [{"type": "record", "name": PROVIDER, "data": database}],
    }


def ensure_catalogue_collection(config_path: str | Path) -> bool:
    """Add the catalogue collection to the config unless present; say if added."""
    path = Path(config_path)
    with config.editing(path) as doc:
        resources = config.resources(doc)
        if CATALOGUE_ID in resources:
            return False
        section = doc.get("simpul") or {}
        database = str(section.get("catalogue") or DEFAULT_DATABASE)
        resources[CATALOGUE_ID] = _commented(catalogue_resource(database))
        return True


def _commented(value: Any) -> Any:
    """Return *value* as ruamel's round-trip types, so it is written block-style."""
    if isinstance(value, dict):
        return CommentedMap((k, _commented(v)) for k, v in value.items())
    if isinstance(value, list):
        return [_commented(v) for v in value]
    return value
