"""Load the node configuration: pygeoapi's settings plus our `simpul:` section."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pygeoapi.util import yaml_load

DEFAULT_CONFIG = "pygeoapi-config.yml"
DEFAULT_OPENAPI = "openapi/openapi.yml"
DEFAULT_STORE = "data/simpul.gpkg"

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class NodeSettings:
    """The `simpul:` section of the configuration, checked and resolved."""

    kode_simpul: str
    nama_simpul: str
    organisasi: str
    store: str
    trusted_proxies: tuple[IPNetwork, ...]


def config_path() -> Path:
    """Return the configuration file named by PYGEOAPI_CONFIG."""
    return Path(os.environ.get("PYGEOAPI_CONFIG") or DEFAULT_CONFIG).absolute()


def openapi_path() -> Path:
    """Return the OpenAPI file named by PYGEOAPI_OPENAPI."""
    default = config_path().parent / DEFAULT_OPENAPI
    return Path(os.environ.get("PYGEOAPI_OPENAPI") or default).absolute()


def load_config(path: Path) -> dict[str, Any]:
    """Read the configuration, substituting ${VARIABLE} references."""
    with path.open(encoding="utf-8") as fh:
        config = yaml_load(fh)
    if not isinstance(config, dict):
        raise ValueError(f"{path} does not hold a configuration mapping")

    config.setdefault("resources", {})
    if config["resources"] is None:
        config["resources"] = {}
    _resolve_provider_data(config, path.parent)
    return config


def _resolve_provider_data(config: dict[str, Any], folder: Path) -> None:
    """Make relative provider `data` paths relative to the config's folder."""
    for resource in config["resources"].values():
        for provider in (resource or {}).get("providers") or []:
            data = provider.get("data")
            if isinstance(data, str) and _is_relative_path(data):
                provider["data"] = str(folder / data)


def _is_relative_path(value: str) -> bool:
    """Tell whether *value* is a relative file path rather than a URL or DSN."""
    return "://" not in value and not Path(value).is_absolute() and "=" not in value


def node_settings(config: dict[str, Any], folder: Path) -> NodeSettings:
    """Return the checked `simpul:` section of *config*."""
    section = config.get("simpul") or {}
    store = str(section.get("store") or DEFAULT_STORE)
    if _is_relative_path(store):
        store = str(folder / store)

    return NodeSettings(
        kode_simpul=str(section.get("kode_simpul", "")),
        nama_simpul=str(section.get("nama_simpul", "")),
        organisasi=str(section.get("organisasi", "")),
        store=store,
        trusted_proxies=tuple(
            ipaddress.ip_network(str(entry), strict=False)
            for entry in section.get("trusted_proxies") or []
        ),
    )
