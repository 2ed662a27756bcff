"""Merge derived facts, the operator's metadata and the node into one pygeometa MCF."""

from __future__ import annotations

from typing import Any

from simpul.catalogue.node import LANGUAGE, Node, text
from simpul.publish.records.derive import Derived
from simpul.publish.records.links import online_resources
from simpul.publish.records.sni import is_empty, lookup

MCF_VERSION = 2.0


def build_mcf(
    node: Node, derived: Derived, metadata: dict[str, Any], fallback_abstract: str
) -> dict[str, Any]:
    """Return the MCF of dataset *derived.name*; empty operator values fall back."""
    return {
        "mcf": {"version": MCF_VERSION},
        "metadata": {
            "identifier": node.record_id(derived.name),
            "language": LANGUAGE,
            "charset": "utf8",
            "hierarchylevel": "dataset",
            "dates": {"creation": derived.published},
            "dataseturi": f"{node.url}/collections/{derived.name}",
        },
        "spatial": {
            "datatype": "vector",
            "geomtype": derived.geometric_object,
            "denominators": _list(lookup(metadata, "spatial.denominators")),
        },
        "identification": _identification(node, derived, metadata, fallback_abstract),
        "contact": _contacts(node, metadata),
        "distribution": {
            link.key: {
                "url": link.url,
                "type": link.protocol,
                "name": link.name,
                "description": link.description,
                "function": link.function,
            }
            for link in online_resources(node, derived.name)
        },
        "dataquality": {
            "scope": {"level": "dataset"},
            "lineage": {"statement": _value(metadata, "dataquality.lineage.statement")},
        },
    }


def _identification(
    node: Node, derived: Derived, metadata: dict[str, Any], fallback_abstract: str
) -> dict[str, Any]:
    """Return the MCF identification section."""
    licence = lookup(metadata, "identification.license") or {}
    if is_empty(licence.get("name")):
        licence = {"name": node.license.get("name"), "url": node.license.get("url")}
    edition = _value(metadata, "identification.edition")
    dates = {"publication": derived.published}
    return {
        "language": LANGUAGE,
        "charset": "utf8",
        "title": _value(metadata, "identification.title") or derived.name,
        "abstract": _value(metadata, "identification.abstract") or fallback_abstract,
        "edition": edition or None,
        "dates": dates,
        "keywords": _keywords(node, metadata),
        "topiccategory": _list(lookup(metadata, "identification.topiccategory")),
        "extents": {
            "spatial": [{"bbox": list(derived.bbox or ()), "crs": derived.epsg}],
            "temporal": _temporal(derived, metadata),
        },
        "accessconstraints": "otherRestrictions",
        "rights": _rights(_value(metadata, "identification.accessclass")),
        "license": {k: v for k, v in licence.items() if not is_empty(v)},
        "url": f"{node.url}/collections/{derived.name}",
        "status": _value(metadata, "identification.status") or "onGoing",
        "maintenancefrequency": _value(metadata, "identification.maintenancefrequency")
        or "unknown",
    }


def _keywords(node: Node, metadata: dict[str, Any]) -> dict[str, Any]:
    """Return the operator's keyword groups plus the node's own identity."""
    groups: dict[str, Any] = {}
    for key, group in (lookup(metadata, "identification.keywords") or {}).items():
        words = [str(w) for w in _list((group or {}).get("keywords"))]
        if words:
            groups[key] = {**group, "keywords": words}
            groups[key].setdefault("keywords_type", "theme")
    groups["simpul"] = {
        "keywords_type": "theme",
        "keywords": [w for w in (node.kode_simpul, node.nama_simpul) if w],
        "vocabulary": {"name": "Simpul Jaringan JIGN"},
    }
    return groups


def _temporal(derived: Derived, metadata: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the temporal extent the operator gave, else the data's own range."""
    given = [t for t in _list(lookup(metadata, "identification.extents.temporal"))]
    if given and isinstance(given[0], dict) and given[0].get("begin"):
        first = given[0]
        return [{"begin": str(first["begin"]), "end": str(first.get("end") or "now")}]
    if derived.time_begin:
        return [{"begin": derived.time_begin, "end": derived.time_end or "now"}]
    return []


def _contacts(node: Node, metadata: dict[str, Any]) -> dict[str, Any]:
    """Return the responsible agency, and the node as publisher and distributor."""
    contact = node.contact
    address = {
        "organization": node.organisasi or text(contact.get("name")),
        "individualname": text(contact.get("name")),
        "positionname": text(contact.get("position")),
        "phone": text(contact.get("phone")),
        "fax": text(contact.get("fax")),
        "address": text(contact.get("address")),
        "city": text(contact.get("city")),
        "administrativearea": text(contact.get("stateorprovince")),
        "postalcode": text(contact.get("postalcode")),
        "country": text(contact.get("country")),
        "email": text(contact.get("email")),
        "url": text(contact.get("url")),
    }
    node_contact = {k: v for k, v in address.items() if v}
    given = lookup(metadata, "contact.pointOfContact") or {}
    responsible = {k: str(v) for k, v in given.items() if not is_empty(v)}
    if "organization" not in responsible:
        responsible = node_contact
    return {
        "pointOfContact": responsible,
        "publisher": node_contact,
        "distributor": node_contact,
    }


def _rights(access_class: str) -> str | None:
    """Return the use limitation stating the dataset's access class."""
    if not access_class:
        return None
    return f"Kelas akses / access class: {access_class}"


def _value(metadata: dict[str, Any], path: str) -> str:
    """Return the text at *path*, or an empty string."""
    value = lookup(metadata, path)
    return "" if is_empty(value) else str(value).strip()


def _list(value: Any) -> list[Any]:
    """Return *value* as a list without empty entries."""
    items = value if isinstance(value, list) else [value]
    return [v for v in items if not is_empty(v)]
