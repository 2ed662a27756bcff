"""ISO 19139 XML of a record: pygeometa's output, completed and checked."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pycsw
from lxml import etree
from pygeometa.schemas.iso19139 import ISO19139OutputSchema

from simpul.publish.records.derive import Derived
from simpul.publish.records.sni import ACCESS_CLASSES

GMD = "http://www.isotc211.org/2005/gmd"
GCO = "http://www.isotc211.org/2005/gco"
NS = {"gmd": GMD, "gco": GCO}
CODELISTS = "http://www.isotc211.org/2005/resources/Codelist/gmxCodelists.xml"
#: The ISO 19139 schemas pycsw ships (the 2006-05-04 release, with GML and gmx).
SCHEMAS = (
    Path(pycsw.__file__).parent
    / "plugins/profiles/apiso/schemas/ogc/iso/19139/20060504"
)


def render_iso(mcf: dict[str, Any], derived: Derived, access_class: str) -> bytes:
    """Return the gmd:MD_Metadata document of *mcf* as UTF-8 bytes."""
    xml = ISO19139OutputSchema().write(mcf, stringify=True)
    parser = etree.XMLParser(remove_blank_text=True)
    data = xml if isinstance(xml, bytes) else xml.encode("utf-8")
    root = etree.fromstring(data, parser)
    _add_classification(root, access_class)
    _set_supplemental(root, derived, mcf["identification"]["url"])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _add_classification(root: etree._Element, access_class: str) -> None:
    """Add the JIGN access class as an ISO security classification."""
    code = ACCESS_CLASSES.get(access_class)
    legal = root.find(".//gmd:MD_DataIdentification/gmd:resourceConstraints", NS)
    if code is None or legal is None:
        return
    constraints = etree.Element(f"{{{GMD}}}resourceConstraints")
    security = etree.SubElement(constraints, f"{{{GMD}}}MD_SecurityConstraints")
    classification = etree.SubElement(security, f"{{{GMD}}}classification")
    etree.SubElement(
        classification,
        f"{{{GMD}}}MD_ClassificationCode",
        codeList=f"{CODELISTS}#MD_ClassificationCode",
        codeListValue=code,
    ).text = code
    note = etree.SubElement(security, f"{{{GMD}}}userNote")
    etree.SubElement(
        note, f"{{{GCO}}}CharacterString"
    ).text = f"Kelas akses JIGN / JIGN access class: {access_class}"
    legal.addnext(constraints)


def _set_supplemental(root: etree._Element, derived: Derived, url: str) -> None:
    """State the feature count and attribute schema as supplemental information."""
    element = root.find(
        ".//gmd:MD_DataIdentification/gmd:supplementalInformation/gco:CharacterString",
        NS,
    )
    if element is not None:
        element.text = summary(derived, url)


def summary(derived: Derived, url: str) -> str:
    """Return the one-paragraph description of the data's size and attributes."""
    attributes = ", ".join(f"{name} ({kind})" for name, kind in derived.attributes)
    return (
        f"Jumlah fitur / feature count: {derived.count} {derived.geometry_type}. "
        f"Atribut / attributes: {attributes or '-'}. Koleksi / collection: {url}"
    )


@functools.cache
def _schema() -> etree.XMLSchema:
    """Load the ISO 19139 schemas (gmd with gmx) from the files on disk."""
    base = SCHEMAS.as_uri()
    wrapper = (
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        f'<xs:import namespace="{GMD}" schemaLocation="{base}/gmd/gmd.xsd"/>'
        '<xs:import namespace="http://www.isotc211.org/2005/gmx" '
        f'schemaLocation="{base}/gmx/gmx.xsd"/>'
        "</xs:schema>"
    )
    return etree.XMLSchema(etree.fromstring(wrapper.encode()))


def validate_iso(xml: bytes) -> list[str]:
    """Return the schema errors of an ISO 19139 document; empty when valid."""
    schema = _schema()
    if schema.validate(etree.fromstring(xml)):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]
