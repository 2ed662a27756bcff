"""Searching the catalogue with real clients: OGC API - Records and CSW 2.0.2."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import requests
from lxml import etree
from owslib.csw import CatalogueServiceWeb
from owslib.ogcapi.records import Records

sys.path.insert(0, str(Path(__file__).parent))
from catalogue_fixtures import (  # noqa: E402
    DATASETS,
    CatalogueNode,
    Node,
    add_catalogue,
    needs_data,
    served_catalogue,
)

GMD = "http://www.isotc211.org/2005/gmd"
CSW_RECORD = "http://www.opengis.net/cat/csw/2.0.2"
ALL_IDS = {f"6372-{name}" for name in DATASETS}
pytestmark = needs_data


@pytest.fixture(scope="module")
def catalogue(start_module_node: Callable[..., Node]) -> CatalogueNode:
    """A served node with four real datasets in its catalogue."""
    return served_catalogue(start_module_node)


def ids(result: dict) -> set[str]:
    """Return the record ids of an OGC API - Records response."""
    return {record["id"] for record in result["features"]}


def test_records_client_lists_the_catalogue(catalogue):
    client = Records(catalogue.node.url)

    assert "catalogue" in client.records()
    result = client.collection_items("catalogue", limit=100)
    assert ids(result) == ALL_IDS and result["numberMatched"] == 4


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "kecamatan_kalsel"}, {"6372-kecamatan_kalsel"}),
        ({"q": "nothing-like-this"}, set()),
        (
            {"q": "abstrak kabupaten_kalsel,kecamatan_kalsel"},
            {"6372-kabupaten_kalsel", "6372-kecamatan_kalsel"},
        ),
        (
            {"bbox": [116.2, -3.0, 116.4, -2.8]},
            {"6372-kabupaten_kalsel", "6372-kecamatan_kalsel"},
        ),
        ({"bbox": [100.0, 0.0, 101.0, 1.0]}, set()),
        ({"filter": "title LIKE 'Batas kab%'"}, {"6372-kabupaten_kalsel"}),
        ({"filter": "accessClass = 'public'"}, ALL_IDS - {"6372-batas_kota"}),
        ({"keywords": "kelurahan"}, {"6372-kelurahan"}),
        ({"type": "dataset"}, ALL_IDS),
        ({"type": "service"}, set()),
        ({"datetime": "2000-01-01/2001-01-01"}, set()),
        ({"datetime": "2020-01-01T00:00:00Z/.."}, ALL_IDS),
    ],
)
def test_records_search(catalogue, query, expected):
    result = Records(catalogue.node.url).collection_items("catalogue", **query)

    assert ids(result) == expected
    assert result["numberMatched"] == len(expected)


def test_records_sortby(catalogue):
    client = Records(catalogue.node.url)
    result = client.collection_items("catalogue", sortby=("title", "desc"))

    titles = [r["properties"]["title"] for r in result["features"]]
    assert titles == sorted(titles, key=str.lower, reverse=True)


def test_records_paging_follows_next_links_to_the_end(catalogue):
    url = f"{catalogue.node.url}/collections/catalogue/items?limit=2&sortby=id"
    seen, pages = [], 0
    while url:
        page = requests.get(url, timeout=10).json()
        assert page["numberMatched"] == 4
        seen += [r["id"] for r in page["features"]]
        url = next((ln["href"] for ln in page["links"] if ln["rel"] == "next"), None)
        pages += 1

    assert seen == sorted(ALL_IDS) and pages == 2


def test_unknown_queryable_is_a_readable_error(catalogue):
    url = f"{catalogue.node.url}/collections/catalogue/items?filter=colour='red'"
    response = requests.get(url, timeout=10)

    assert response.status_code == 400
    assert "colour" in response.json()["description"]


@pytest.mark.parametrize(
    ("path", "media_type"),
    [
        ("/collections/catalogue/items?f=json", "application/geo+json"),
        ("/collections/catalogue/items?f=html", "text/html"),
        ("/collections/catalogue/items/6372-kelurahan?f=json", "application/geo+json"),
        ("/collections/catalogue/items/6372-kelurahan?f=html", "text/html"),
        ("/collections/catalogue/items/6372-kelurahan?f=xml", "application/xml"),
        ("/collections/catalogue/items/6372-kelurahan?f=jsonld", "application/ld+json"),
    ],
)
def test_record_formats_carry_matching_content_types(catalogue, path, media_type):
    response = requests.get(catalogue.node.url + path, timeout=10)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    if media_type.endswith("json"):
        response.json()
    elif media_type == "application/xml":
        assert etree.fromstring(response.content).tag == f"{{{GMD}}}MD_Metadata"


@pytest.mark.parametrize("item", ["", "/6372-kelurahan"])
def test_unknown_format_is_a_readable_error(catalogue, item):
    url = f"{catalogue.node.url}/collections/catalogue/items{item}?f=shapefile"
    response = requests.get(url, timeout=10)

    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["code"]


@pytest.mark.parametrize("schema", [CSW_RECORD, GMD])
def test_csw_client_pages_through_every_record(catalogue, schema):
    csw = CatalogueServiceWeb(catalogue.csw, version="2.0.2")
    typename = "gmd:MD_Metadata" if schema == GMD else "csw:Record"
    found, position = {}, 1
    while position:
        csw.getrecords2(
            typenames=typename,
            outputschema=schema,
            esn="full",
            startposition=position,
            maxrecords=3,
        )
        assert csw.results["matches"] == 4
        found |= csw.records
        position = csw.results["nextrecord"]

    assert set(found) == ALL_IDS
    title = found["6372-kecamatan_kalsel"]
    title = title.identification[0].title if schema == GMD else title.title
    assert title == "Batas kecamatan_kalsel"


def test_csw_cql_and_ogc_filter_constraints(catalogue):
    from owslib.fes import PropertyIsLike

    csw = CatalogueServiceWeb(catalogue.csw, version="2.0.2")
    csw.getrecords2(constraints=[PropertyIsLike("dc:title", "Batas kab%")], esn="brief")
    assert set(csw.records) == {"6372-kabupaten_kalsel"}

    csw.getrecords2(cql="dc:title like '%kelurahan%'", esn="brief")
    assert set(csw.records) == {"6372-kelurahan"}


def test_csw_get_record_by_id_in_iso(catalogue):
    csw = CatalogueServiceWeb(catalogue.csw, version="2.0.2")
    csw.getrecordbyid(["6372-kelurahan"], outputschema=GMD)

    record = csw.records["6372-kelurahan"]
    assert record.identification[0].title == "Batas kelurahan"
    assert record.datestamp and record.languagecode == "ind"


def test_csw_get_record_by_id_in_dublin_core(catalogue):
    csw = CatalogueServiceWeb(catalogue.csw, version="2.0.2")
    csw.getrecordbyid(["6372-kabupaten_kalsel"], esn="full")

    record = csw.records["6372-kabupaten_kalsel"]
    assert record.title == "Batas kabupaten_kalsel"
    assert record.abstract == "Abstrak kabupaten_kalsel."
    assert record.bbox is not None
    assert float(record.bbox.minx) == pytest.approx(114.3, abs=0.5)


def test_csw_describe_record_gives_the_record_schema(catalogue):
    response = requests.get(
        catalogue.csw,
        params={
            "service": "CSW",
            "version": "2.0.2",
            "request": "DescribeRecord",
            "typename": "csw:Record",
        },
        timeout=10,
    )

    root = etree.fromstring(response.content)
    assert root.tag == f"{{{CSW_RECORD}}}DescribeRecordResponse"
    schema = root.find(f"{{{CSW_RECORD}}}SchemaComponent")
    assert schema is not None
    assert schema.get("targetNamespace") == CSW_RECORD


def test_csw_behind_a_trusted_proxy_advertises_the_public_https_url(start_node):
    def behind_proxy(config):
        config["simpul"]["trusted_proxies"] = ["127.0.0.1/32"]
        add_catalogue(config)

    node = start_node(behind_proxy)
    public = "https://geoportal.banjarbarukota.go.id/simpul"
    headers = {
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "geoportal.banjarbarukota.go.id",
        "X-Forwarded-Prefix": "/simpul",
    }

    response = requests.get(
        f"{node.url}/csw",
        params={"service": "CSW", "request": "GetCapabilities"},
        headers=headers,
        timeout=10,
    )

    root = etree.fromstring(response.content)
    ows = "http://www.opengis.net/ows"
    xlink = "{http://www.w3.org/1999/xlink}href"
    urls = [e.get(xlink) for e in root.iter(f"{{{ows}}}Get", f"{{{ows}}}Post")]
    assert urls
    assert all(url.startswith(f"{public}/csw") for url in urls), urls

    CatalogueNode(node).publish("kelurahan", DATASETS["kelurahan"])
    record = f"{node.url}/collections/catalogue/items/6372-kelurahan"
    as_json = requests.get(record, headers=headers, timeout=10).json()
    hrefs = [link["href"] for link in as_json["links"]]
    assert f"{public}/collections/kelurahan/items?f=json" in hrefs
    iso = requests.get(record, params={"f": "xml"}, headers=headers, timeout=10)
    records = requests.get(
        f"{node.url}/csw",
        params={
            "service": "CSW",
            "request": "GetRecords",
            "typenames": "csw:Record",
            "elementsetname": "full",
            "resulttype": "results",
            "outputschema": GMD,
        },
        headers=headers,
        timeout=10,
    )
    for body in (json.dumps(as_json), iso.text, records.text):
        assert f"{public}/collections/kelurahan" in body
        assert "localhost:5000" not in body and "urn:simpul" not in body


def test_csw_capabilities_advertise_the_public_url(catalogue):
    csw = CatalogueServiceWeb(catalogue.csw, version="2.0.2")

    for operation in csw.operations:
        for method in operation.methods:
            assert method["url"].startswith(catalogue.csw)
    assert (
        "http://www.isotc211.org/2005/gmd"
        in csw.get_operation_by_name("GetRecords").parameters["outputSchema"]["values"]
    )


@pytest.mark.parametrize(
    "query",
    [
        "request=GetCapabilities",
        "request=DescribeRecord",
        "request=GetRecords&typenames=csw:Record&elementsetname=full"
        "&resulttype=results&outputschema=urn:unknown",
        "request=GetRecords&typenames=csw:Record&elementsetname=full"
        "&outputformat=text/html",
        "request=GetRecords&typenames=csw:Record&elementsetname=brief"
        "&outputformat=application/json",
        "request=NoSuchOperation",
    ],
)
def test_csw_content_type_matches_the_body(catalogue, query):
    response = requests.get(f"{catalogue.csw}?service=CSW&version=2.0.2&{query}")

    content_type = response.headers["content-type"]
    if content_type.startswith("application/json"):
        response.json()
    else:
        assert content_type.startswith("application/xml")
        etree.fromstring(response.content)


def test_csw_unknown_output_schema_names_the_parameter(catalogue):
    response = requests.get(
        f"{catalogue.csw}?service=CSW&version=2.0.2&request=GetRecords"
        "&typenames=csw:Record&elementsetname=full&outputschema=urn:unknown"
    )

    report = etree.fromstring(response.content)
    exception = report.find("{http://www.opengis.net/ows}Exception")
    assert exception.get("exceptionCode") == "InvalidParameterValue"
    assert exception.get("locator") == "outputschema"


TRANSACTION = (
    '<csw:Transaction xmlns:csw="http://www.opengis.net/cat/csw/2.0.2" '
    'xmlns:ogc="http://www.opengis.net/ogc" service="CSW" version="2.0.2">'
    '<csw:Delete><csw:Constraint version="1.1.0"><ogc:Filter><ogc:PropertyIsLike '
    'wildCard="%" singleChar="_" escapeChar="!"><ogc:PropertyName>dc:identifier'
    "</ogc:PropertyName><ogc:Literal>%</ogc:Literal></ogc:PropertyIsLike>"
    "</ogc:Filter></csw:Constraint></csw:Delete></csw:Transaction>"
)


def test_csw_transaction_and_harvest_are_refused(catalogue):
    harvest = (
        '<csw:Harvest xmlns:csw="http://www.opengis.net/cat/csw/2.0.2" '
        'service="CSW" version="2.0.2"><csw:Source>http://example.org/csw'
        "</csw:Source><csw:ResourceType>http://www.opengis.net/cat/csw/2.0.2"
        "</csw:ResourceType></csw:Harvest>"
    )
    for body in (TRANSACTION, harvest):
        response = requests.post(
            catalogue.csw, data=body, headers={"Content-Type": "application/xml"}
        )
        assert b"OperationNotSupported" in response.content

    csw = CatalogueServiceWeb(catalogue.csw, version="2.0.2")
    csw.getrecords2(esn="brief", maxrecords=10)
    assert set(csw.records) == ALL_IDS
    assert "Transaction" not in [op.name for op in csw.operations]
