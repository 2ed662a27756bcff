"""The metadata file an operator keeps beside the data, one per dataset."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any

import yaml

from simpul.catalogue.node import Node
from simpul.publish import kugi

#: KUGI scale codes (25K, 1M, 2.5K) as multipliers of the number before them.
SCALE_UNITS = {"K": 1_000, "M": 1_000_000}


def metadata_path(node: Node, name: str) -> Path:
    """Return the path of dataset *name*'s metadata file."""
    return node.metadata_dir / f"{name}.yml"


def load_operator_metadata(path: Path) -> dict[str, Any]:
    """Read a metadata file; a missing or empty file reads as an empty mapping."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as fh:
        content = yaml.safe_load(fh)
    if content is None:
        return {}
    if not isinstance(content, dict):
        raise ValueError(f"{path} does not hold a metadata mapping")
    return content


def ensure_template(path: Path, name: str, resource: dict[str, Any]) -> bool:
    """Write the operator's template for *name* unless a file exists; say if written."""
    if path.exists():
        return False
    text = (
        resources.files("simpul.publish.records")
        .joinpath("template.yml")
        .read_text(encoding="utf-8")
    )
    theme = kugi.theme(name)
    values = {
        "name": name,
        "title": json.dumps(_title(resource, name), ensure_ascii=False),
        "keywords": json.dumps(_keywords(resource), ensure_ascii=False),
        "theme": json.dumps([theme] if theme else [], ensure_ascii=False),
        "denominators": json.dumps(_denominators(name)),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(Template(text).substitute(values), encoding="utf-8")
    return True


def _title(resource: dict[str, Any], name: str) -> str:
    """Return the collection's title in Indonesian, else the dataset name."""
    title = resource.get("title") or name
    if isinstance(title, dict):
        title = title.get("id") or next(iter(title.values()), name)
    return str(title)


def _keywords(resource: dict[str, Any]) -> list[str]:
    """Return the collection's keywords as plain strings."""
    keywords = resource.get("keywords") or []
    if isinstance(keywords, dict):
        keywords = keywords.get("id") or next(iter(keywords.values()), [])
    return [str(k) for k in keywords]


def _denominators(name: str) -> list[int]:
    """Return the scale denominator a KUGI layer name carries, if any."""
    parsed = kugi.parse_name(name)
    if parsed is None:
        return []
    match = re.fullmatch(r"(\d+(?:[.,]\d+)?)([KM]?)", parsed[2].upper())
    if match is None:
        return []
    number = float(match.group(1).replace(",", "."))
    return [int(number * SCALE_UNITS.get(match.group(2), 1))]
