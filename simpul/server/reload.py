"""Re-read the configuration and OpenAPI files when another process rewrites them."""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simpul.nodeconfig import NodeSettings, load_config, node_settings
from simpul.openapi import load_openapi

LOGGER = logging.getLogger(__name__)

#: Seconds between two looks at the files' metadata.
CHECK_INTERVAL = 0.5

Signature = tuple[tuple[int, int, int] | None, ...]


@dataclass(frozen=True)
class Snapshot:
    """One consistent reading of the configuration and the OpenAPI document."""

    generation: int
    config: dict[str, Any]
    openapi: dict[str, Any]
    settings: NodeSettings


class ConfigUnavailable(RuntimeError):
    """The configuration could not be loaded, so nothing can be served."""


class Watcher:
    """Serve the latest loadable snapshot, checking the files' stat cheaply."""

    def __init__(self, config: Path, openapi: Path) -> None:
        self.config_path = config
        self.openapi_path = openapi
        self.error: str | None = None
        self._snapshot: Snapshot | None = None
        self._signature: Signature | None = None
        self._checked = 0.0
        self._lock = threading.Lock()

    def current(self) -> Snapshot:
        """Return the snapshot in force, reloading first if the files changed."""
        now = time.monotonic()
        if now - self._checked >= CHECK_INTERVAL or self._snapshot is None:
            with self._lock:
                self._checked = now
                signature = self._stat()
                if signature != self._signature:
                    self._signature = signature
                    self._reload()

        if self._snapshot is None:
            raise ConfigUnavailable(self.error or "configuration not loaded")
        return self._snapshot

    def _stat(self) -> Signature:
        """Return what identifies the current version of both files."""
        return tuple(_file_signature(p) for p in (self.config_path, self.openapi_path))

    def _reload(self) -> None:
        """Load both files; on failure keep the previous snapshot and remember why."""
        try:
            config = load_config(self.config_path)
            settings = node_settings(config, self.config_path.parent)
            openapi = load_openapi(self.openapi_path)
        except Exception as err:  # any broken file must not stop the server
            self.error = f"cannot load {self.config_path.name}: {err}"
            LOGGER.error("Configuration reload failed: %s", err, exc_info=True)
            return

        generation = self._snapshot.generation + 1 if self._snapshot else 1
        self._snapshot = Snapshot(generation, config, openapi, settings)
        self.error = None
        LOGGER.info(
            "Loaded configuration generation %d (%d resources)",
            generation,
            len(config["resources"]),
        )


def _file_signature(path: Path) -> tuple[int, int, int] | None:
    """Return (mtime, size, inode) of *path*, or None when it is missing."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)
