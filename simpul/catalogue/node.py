"""The node's identity and the catalogue's files, read from the node configuration."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simpul.nodeconfig import load_config

#: Where the catalogue lives unless `simpul.catalogue` says otherwise.
DEFAULT_DATABASE = "data/catalogue.sqlite"
#: Where operators keep one metadata file per dataset, unless `simpul.metadata` says.
DEFAULT_METADATA_DIR = "data/metadata"
#: The collection that serves the catalogue through OGC API - Records.
CATALOGUE_ID = "catalogue"
#: The language of records and of the node (ISO 639-2/T).
LANGUAGE = "ind"
#: Records are stored with this in place of the node's address. The serving side
#: puts each request's public base URL in its place, so record links follow the
#: port, the proxy and `server.url` of the moment without publishing again.
NODE_BASE = "urn:simpul:node"


def rebase(content: bytes, base_url: str) -> bytes:
    """Return stored record *content* with links under *base_url*."""
    return content.replace(NODE_BASE.encode(), base_url.rstrip("/").encode())


@dataclass(frozen=True)
class Node:
    """Who publishes the records, where, and where the catalogue is kept."""

    kode_simpul: str
    nama_simpul: str
    organisasi: str
    url: str
    contact: dict[str, Any]
    license: dict[str, Any]
    folder: Path
    database: Path
    metadata_dir: Path
    store: str

    def record_id(self, name: str) -> str:
        """Return the identifier of the record describing dataset *name*."""
        return f"{self.kode_simpul}-{name}" if self.kode_simpul else name


def text(value: Any, language: str = "id") -> str:
    """Return *value* in *language* when it is a per-language mapping."""
    if isinstance(value, dict):
        value = value.get(language) or next(iter(value.values()), "")
    return "" if value is None else str(value).strip()


def load_node(config_path: Path) -> Node:
    """Read the node's identity and catalogue locations from *config_path*."""
    return node_from_config(load_config(config_path), config_path.absolute().parent)


def node_from_config(config: dict[str, Any], folder: Path) -> Node:
    """Return the node described by a loaded *config* kept in *folder*."""
    section = config.get("simpul") or {}
    metadata = config.get("metadata") or {}
    return Node(
        kode_simpul=text(section.get("kode_simpul")),
        nama_simpul=text(section.get("nama_simpul")),
        organisasi=text(section.get("organisasi")),
        url=str(config["server"]["url"]).rstrip("/"),
        contact=dict(metadata.get("contact") or {}),
        license=dict(metadata.get("license") or {}),
        folder=folder,
        database=folder / str(section.get("catalogue") or DEFAULT_DATABASE),
        metadata_dir=folder / str(section.get("metadata") or DEFAULT_METADATA_DIR),
        store=str(section.get("store") or "data/simpul.gpkg"),
    )
