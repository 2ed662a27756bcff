"""A provincial pycsw harvests the node's CSW and follows its changes."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from owslib.csw import CatalogueServiceWeb

sys.path.insert(0, str(Path(__file__).parent))
from catalogue_fixtures import (  # noqa: E402
    DATASETS,
    CatalogueNode,
    Node,
    needs_data,
    served_catalogue,
)
from catalogue_peer import Peer, start_peer  # noqa: E402
from conftest import free_port, stop  # noqa: E402

GMD = "http://www.isotc211.org/2005/gmd"
pytestmark = needs_data


@pytest.fixture(scope="module")
def catalogue(start_module_node: Callable[..., Node]) -> CatalogueNode:
    """A served node with four real datasets in its catalogue."""
    return served_catalogue(start_module_node)


@pytest.fixture(scope="module")
def peer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Peer]:
    """A pycsw 2.6.2 peer on loopback with an empty repository."""
    peer = start_peer(tmp_path_factory.mktemp("peer"), free_port())
    yield peer
    stop(peer.process)


def iso_records(url: str) -> dict[str, tuple[str, str, tuple[float, ...]]]:
    """Page through every ISO record at *url*: id -> (title, abstract, bbox)."""
    csw = CatalogueServiceWeb(url, version="2.0.2")
    found, position = {}, 1
    while position:
        csw.getrecords2(
            typenames="gmd:MD_Metadata",
            outputschema=GMD,
            esn="full",
            startposition=position,
            maxrecords=2,
        )
        found |= csw.records
        position = csw.results["nextrecord"]
    return {
        key: (
            record.identification[0].title,
            record.identification[0].abstract,
            _bbox(record),
        )
        for key, record in found.items()
        if record.hierarchy != "service"  # the peer's record of our CSW itself
    }


def _bbox(record) -> tuple[float, ...]:
    """Return the record's geographic bounding box."""
    box = record.identification[0].bbox
    return tuple(float(v) for v in (box.minx, box.miny, box.maxx, box.maxy))


def test_peer_harvests_every_record_identically(catalogue, peer):
    peer.harvest(catalogue.csw)

    ours = iso_records(catalogue.csw)
    theirs = iso_records(peer.url)
    assert set(ours) == {f"6372-{name}" for name in DATASETS}
    assert {key: theirs.get(key) for key in ours} == ours


def test_next_harvest_follows_republish_and_removal(catalogue, peer):
    peer.harvest(catalogue.csw)
    catalogue.describe("kecamatan_kalsel", "Kecamatan Kalsel 2025", "Edisi baru.")
    catalogue.publish("kecamatan_kalsel", DATASETS["kecamatan_kalsel"])
    catalogue.unpublish("kelurahan")

    peer.harvest(catalogue.csw)

    theirs = iso_records(peer.url)
    assert "6372-kelurahan" not in theirs
    title, abstract, _ = theirs["6372-kecamatan_kalsel"]
    assert (title, abstract) == ("Kecamatan Kalsel 2025", "Edisi baru.")
    assert theirs == iso_records(catalogue.csw)
