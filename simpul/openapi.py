"""Generate, write and read the node's OpenAPI document."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from copy import deepcopy
from pathlib import Path
from typing import Any

import yaml
from pygeoapi.openapi import get_oas
from pygeoapi.util import to_json, yaml_load

from simpul.nodeconfig import load_config

LOGGER = logging.getLogger(__name__)


def write_openapi(config_path: str | Path, openapi_path: str | Path) -> Path:
    """Generate the OpenAPI document for *config_path* and replace *openapi_path*."""
    config_path, openapi_path = Path(config_path), Path(openapi_path)
    config = load_config(config_path)

    # A collection whose provider cannot load is left out rather than failing all.
    document = get_oas(config, fail_on_invalid_collection=False)
    _write_atomically(openapi_path, _serialise(document, openapi_path))
    LOGGER.info("Wrote OpenAPI document %s", openapi_path)
    return openapi_path


def load_openapi(path: Path) -> dict[str, Any]:
    """Read the OpenAPI document, JSON or YAML by its file name."""
    with path.open(encoding="utf-8") as fh:
        document = json.load(fh) if _is_json(path) else yaml_load(fh)
    if not isinstance(document, dict):
        raise ValueError(f"{path} does not hold an OpenAPI document")
    return document


def with_server_url(document: dict[str, Any], base_url: str) -> dict[str, Any]:
    """Return a copy of *document* whose servers list points at *base_url*."""
    servers = deepcopy(document.get("servers") or [{}])
    for server in servers:
        server["url"] = base_url
    return {**document, "servers": servers}


def _serialise(document: dict[str, Any], path: Path) -> str:
    """Render *document* in the format the file name asks for."""
    if _is_json(path):
        return to_json(document, pretty=True)
    return yaml.safe_dump(document, default_flow_style=False, allow_unicode=True)


def _is_json(path: Path) -> bool:
    """Tell whether *path* names a JSON file."""
    return path.suffix.lower() == ".json"


def _write_atomically(path: Path, text: str) -> None:
    """Write *text* to a temporary file beside *path*, then rename it over *path*."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
