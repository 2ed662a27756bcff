"""The record of a published dataset: SNI warnings, ISO 19139 validity, links."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import requests
from lxml import etree

from simpul.publish.records import ensure_catalogue_collection
from simpul.publish.records.iso import validate_iso

sys.path.insert(0, str(Path(__file__).parent))
from catalogue_fixtures import (  # noqa: E402
    DATASETS,
    CatalogueNode,
    Node,
    needs_data,
    served_catalogue,
)
from conftest import BASE_CONFIG  # noqa: E402

NS = {
    "gmd": "http://www.isotc211.org/2005/gmd",
    "gco": "http://www.isotc211.org/2005/gco",
}
pytestmark = needs_data


@pytest.fixture(scope="module")
def catalogue(start_module_node: Callable[..., Node]) -> CatalogueNode:
    """A served node with four real datasets; the first left undescribed."""
    return served_catalogue(start_module_node)


def iso(catalogue: CatalogueNode, name: str) -> etree._Element:
    """Return the ISO 19139 document the node serves for dataset *name*."""
    url = f"{catalogue.node.url}/collections/catalogue/items/6372-{name}?f=xml"
    response = requests.get(url, timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    return etree.fromstring(response.content)


def test_undescribed_dataset_warns_naming_each_required_element(catalogue):
    warnings = "\n".join(catalogue.warnings["batas_kota"])

    for element in (
        "identification.abstract",
        "identification.topiccategory",
        "identification.maintenancefrequency",
        "identification.accessclass",
        "identification.license.name",
        "contact.pointOfContact.organization",
        "dataquality.lineage.statement",
    ):
        assert element in warnings
    assert catalogue.metadata_file("batas_kota").exists()


def test_described_dataset_publishes_without_warnings(catalogue):
    assert catalogue.warnings["kecamatan_kalsel"] == []


def test_invalid_code_is_named(catalogue):
    catalogue.describe("kelurahan", "Kelurahan", "Abstrak.", topiccategory=["batas"])

    warnings = catalogue.publish("kelurahan", DATASETS["kelurahan"])

    assert any("topiccategory 'batas'" in w for w in warnings)
    catalogue.describe("kelurahan", "Batas kelurahan", "Abstrak kelurahan.")
    assert catalogue.publish("kelurahan", DATASETS["kelurahan"]) == []


@pytest.mark.parametrize("name", ["batas_kota", "kecamatan_kalsel"])
def test_iso_is_valid_against_the_iso_19139_schemas(catalogue, name):
    document = etree.tostring(iso(catalogue, name))

    assert validate_iso(document) == []


def test_schema_check_catches_elements_out_of_order(catalogue):
    root = iso(catalogue, "kecamatan_kalsel")
    stamp = root.find("gmd:dateStamp", NS)
    root.remove(stamp)
    root.insert(0, stamp)

    assert validate_iso(etree.tostring(root)) != []


def test_iso_has_identity_language_and_datestamp(catalogue):
    root = iso(catalogue, "kecamatan_kalsel")

    assert root.findtext("gmd:fileIdentifier/gco:CharacterString", namespaces=NS) == (
        "6372-kecamatan_kalsel"
    )
    language = root.find("gmd:language/gmd:LanguageCode", NS)
    assert language.get("codeListValue") == "ind"
    assert root.findtext("gmd:dateStamp/gco:DateTime", namespaces=NS)
    text = etree.tostring(root, encoding="unicode")
    for expected in ("Pemerintah Kota Banjarbaru", "6372", "Bappeda Kota Banjarbaru"):
        assert expected in text
    classification = root.find(".//gmd:MD_ClassificationCode", NS)
    assert classification.get("codeListValue") == "unclassified"


def test_iso_bbox_is_the_data_extent(catalogue):
    root = iso(catalogue, "kecamatan_kalsel")
    box = root.find(".//gmd:EX_GeographicBoundingBox", NS)
    west, east, south, north = (
        float(box.findtext(f"gmd:{side}/gco:Decimal", namespaces=NS))
        for side in (
            "westBoundLongitude",
            "eastBoundLongitude",
            "southBoundLatitude",
            "northBoundLatitude",
        )
    )

    resource = catalogue.node.read_config()["resources"]["kecamatan_kalsel"]
    expected = resource["extents"]["spatial"]["bbox"]
    assert [west, south, east, north] == pytest.approx(expected, abs=1e-6)


def test_online_resources_are_typed_by_protocol(catalogue):
    root = iso(catalogue, "kecamatan_kalsel")
    links = {
        r.findtext("gmd:protocol/gco:CharacterString", namespaces=NS): r.findtext(
            "gmd:linkage/gmd:URL", namespaces=NS
        )
        for r in root.iterfind(".//gmd:transferOptions//gmd:CI_OnlineResource", NS)
    }
    base = f"{catalogue.node.url}/collections"

    assert links["OGC:API-Features"].startswith(f"{base}/kecamatan_kalsel")
    assert links["OGC:API-Tiles"] == f"{base}/kecamatan_kalsel/tiles?f=json"
    assert "f=tilejson" in links["TileJSON"]
    assert links["ISO 19139"].endswith("/catalogue/items/6372-kecamatan_kalsel?f=xml")
    assert links["OGC:API-Records"].startswith(f"{base}/catalogue/items/")
    for protocol, link in links.items():
        assert requests.get(link, timeout=10).status_code == 200, (protocol, link)
    tilejson = requests.get(links["TileJSON"], timeout=10).json()
    assert tilejson["tiles"][0].startswith(f"{base}/kecamatan_kalsel/tiles/")


def test_record_merges_derived_facts(catalogue):
    url = f"{catalogue.node.url}/collections/catalogue/items/6372-kecamatan_kalsel"
    record = requests.get(url, timeout=10).json()

    props = record["properties"]
    assert props["title"] == "Batas kecamatan_kalsel"
    assert props["featureCount"] == 156
    assert props["kodeSimpul"] == "6372"
    assert {"name": "nama", "type": "string"} in props["attributes"]
    assert record["geometry"]["type"] == "Polygon"


def test_catalogue_collection_is_added_once(tmp_path):
    config = tmp_path / "pygeoapi-config.yml"
    config.write_text(BASE_CONFIG.read_text(encoding="utf-8"), encoding="utf-8")

    assert ensure_catalogue_collection(config) is True
    assert ensure_catalogue_collection(config) is False
    text = config.read_text(encoding="utf-8")
    assert "simpul_providers.records.RecordsProvider" in text
    assert "# Node settings read by simpul" in text
