"""Keep the catalogue in step with publishing: one record per published dataset."""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path
from typing import Any

from simpul.catalogue import repository
from simpul.catalogue.node import NODE_BASE, load_node
from simpul.publish.records.derive import derive
from simpul.publish.records.iso import render_iso, validate_iso
from simpul.publish.records.mcf import build_mcf
from simpul.publish.records.oarec import render_record
from simpul.publish.records.operator import (
    ensure_template,
    load_operator_metadata,
    metadata_path,
)
from simpul.publish.records.sni import lookup, missing_elements
from simpul.store.base import Layer

LOGGER = logging.getLogger(__name__)


def publish_record(
    config_path: str | Path, name: str, layer: Layer, resource: dict[str, Any]
) -> list[str]:
    """Create or refresh the record of dataset *name*; return SNI warnings."""
    config_path = Path(config_path)
    node = dataclasses.replace(load_node(config_path), url=NODE_BASE)
    path = metadata_path(node, name)
    created = ensure_template(path, name, resource)
    operator = load_operator_metadata(path)
    shown = _shown(path, node.folder)

    derived = derive(name, layer, resource, str(config_path.absolute().parent))
    access_class = str(lookup(operator, "identification.accessclass") or "").strip()
    mcf = build_mcf(node, derived, operator, str(resource.get("description") or name))
    iso = render_iso(mcf, derived, access_class)
    record = render_record(mcf, node, derived, access_class)
    repository.upsert(node.database, iso, record)

    warnings = []
    if created:
        warnings.append(f"{shown}: created; fill it in and publish again")
    warnings += missing_elements(operator, node, bool(derived.time_begin), shown)
    warnings += [f"ISO 19139 schema: {e}" for e in validate_iso(iso)]
    return warnings


def remove_record(config_path: str | Path, name: str) -> bool:
    """Remove the record of dataset *name*; tell whether there was one."""
    node = load_node(Path(config_path))
    return repository.delete(node.database, node.record_id(name))


def _shown(path: Path, folder: Path) -> str:
    """Return *path* relative to the node's folder when it lies inside it."""
    try:
        return str(path.relative_to(folder))
    except ValueError:
        return str(path)
