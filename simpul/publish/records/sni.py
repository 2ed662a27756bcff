"""The SNI 8843-1 elements a dataset record needs, and the code lists they use."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from simpul.catalogue.node import Node

#: Elements the operator supplies: (path in the metadata file, SNI element name).
REQUIRED: tuple[tuple[str, str], ...] = (
    ("identification.title", "judul / title"),
    ("identification.abstract", "abstrak / abstract"),
    ("identification.keywords.default.keywords", "kata kunci / keywords"),
    ("identification.topiccategory", "kategori topik / topic category"),
    ("identification.maintenancefrequency", "frekuensi pemutakhiran / maintenance"),
    ("identification.accessclass", "kelas akses / access class"),
    ("identification.license.name", "lisensi / licence"),
    ("contact.pointOfContact.organization", "OPD penanggung jawab / responsible"),
    ("contact.pointOfContact.email", "surel OPD / responsible party e-mail"),
    ("dataquality.lineage.statement", "riwayat data / lineage"),
)

TOPIC_CATEGORIES = frozenset(
    "farming biota boundaries climatologyMeteorologyAtmosphere economy elevation "
    "environment geoscientificInformation health imageryBaseMapsEarthCover "
    "intelligenceMilitary inlandWaters location oceans planningCadastre society "
    "structure transportation utilitiesCommunication".split()
)
FREQUENCIES = frozenset(
    "continual daily weekly fortnightly monthly quarterly biannually annually "
    "asNeeded irregular notPlanned unknown".split()
)
#: JIGN access classes and the ISO 19115 MD_ClassificationCode each maps to.
ACCESS_CLASSES = {
    "public": "unclassified",
    "government": "restricted",
    "private": "confidential",
    "strategic": "secret",
}


def lookup(metadata: dict[str, Any], path: str) -> Any:
    """Return the value at the dotted *path* of *metadata*, or None."""
    value: Any = metadata
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def is_empty(value: Any) -> bool:
    """Tell whether a metadata value was left empty."""
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, dict)):
        return not any(not is_empty(v) for v in value)
    return value is None


def missing_elements(
    metadata: dict[str, Any], node: Node, has_time: bool, file: str
) -> list[str]:
    """Return one warning per required SNI element left empty or invalid."""
    warnings = [
        f"{file}: {path} ({label}) is empty"
        for path, label in REQUIRED
        if is_empty(lookup(metadata, path))
    ]
    if not has_time and is_empty(lookup(metadata, "identification.edition")):
        if is_empty(lookup(metadata, "identification.extents.temporal")):
            warnings.append(
                f"{file}: identification.edition or identification.extents.temporal "
                "(edisi atau rentang waktu / edition or temporal extent) is empty"
            )
    warnings += _invalid_codes(metadata, file)
    identity = {"kode_simpul": node.kode_simpul, "organisasi": node.organisasi}
    for key, value in identity.items():
        if not value:
            warnings.append(f"pygeoapi-config.yml: simpul.{key} is empty")
    return warnings


def _invalid_codes(metadata: dict[str, Any], file: str) -> list[str]:
    """Return warnings for values outside their ISO or JIGN code lists."""
    checks: Sequence[tuple[str, Collection[str]]] = (
        ("identification.topiccategory", TOPIC_CATEGORIES),
        ("identification.maintenancefrequency", FREQUENCIES),
        ("identification.accessclass", ACCESS_CLASSES),
    )
    warnings = []
    for path, allowed in checks:
        value = lookup(metadata, path)
        values = value if isinstance(value, list) else [value]
        for item in values:
            if not is_empty(item) and str(item) not in allowed:
                choices = ", ".join(sorted(allowed))
                warnings.append(f"{file}: {path} {item!r} is not one of: {choices}")
    return warnings
