"""The OGC API - Records GeoJSON record of a dataset, from the same MCF as the ISO."""

from __future__ import annotations

from typing import Any

from pygeometa.schemas.ogcapi_records import OGCAPIRecordOutputSchema

from simpul.catalogue.node import Node
from simpul.publish.records.derive import Derived
from simpul.publish.records.links import online_resources

RECORD_CORE = "http://www.opengis.net/spec/ogcapi-records-1/1.0/conf/record-core"


def render_record(
    mcf: dict[str, Any], node: Node, derived: Derived, access_class: str
) -> dict[str, Any]:
    """Return the record as a GeoJSON feature with typed links and node identity."""
    record: dict[str, Any] = OGCAPIRecordOutputSchema().write(mcf, stringify=False)
    record["conformsTo"] = [RECORD_CORE]
    record.pop("generated_by", None)

    properties = record["properties"]
    properties["keywords"] = _all_keywords(mcf)
    properties["updated"] = derived.published
    properties["featureCount"] = derived.count
    properties["attributes"] = [
        {"name": name, "type": kind} for name, kind in derived.attributes
    ]
    properties["accessClass"] = access_class or None
    properties["kodeSimpul"] = node.kode_simpul
    properties["organisation"] = node.organisasi
    if derived.time_begin or record.get("time"):
        record["time"] = record.get("time") or {
            "interval": [derived.time_begin, derived.time_end or ".."]
        }

    licence = [link for link in record["links"] if link.get("rel") == "license"]
    record["links"] = licence + [
        {
            "href": link.url,
            "rel": link.rel,
            "type": link.media_type,
            "title": link.name,
            "protocol": link.protocol,
        }
        for link in online_resources(node, derived.name)
    ]
    return record


def _all_keywords(mcf: dict[str, Any]) -> list[str]:
    """Return every keyword of every group, themes included, once each."""
    words: list[str] = []
    for group in mcf["identification"]["keywords"].values():
        words += [w for w in group["keywords"] if w not in words]
    return words
