"""Our node: a fresh store published with `simpul publish`, served by uvicorn."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from . import server
from .paths import REPO


@dataclass
class Node:
    """A node folder: its config, store and the time publishing took."""

    folder: Path
    publish_seconds: float = 0.0

    @property
    def config(self) -> Path:
        """The node's pygeoapi-config.yml."""
        return self.folder / "pygeoapi-config.yml"

    @property
    def store(self) -> Path:
        """The GeoPackage store the config names by default."""
        return self.folder / "data" / "simpul.gpkg"

    def env(self) -> dict[str, str]:
        """Return the environment the node's commands run with."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("SIMPUL_")}
        env["PYGEOAPI_CONFIG"] = str(self.config)
        env["PYGEOAPI_OPENAPI"] = str(self.folder / "openapi" / "openapi.yml")
        return env


def simpul_command() -> Path:
    """Return the `simpul` command of the running interpreter's venv."""
    return Path(sys.executable).with_name("simpul")


def publish(folder: Path, source: Path, name: str) -> Node:
    """Create a node in *folder* and publish *source* as collection *name*."""
    node = Node(folder)
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(REPO / "pygeoapi-config.yml", node.config)
    command = [str(simpul_command()), "publish", str(source), "--name", name]
    command += ["--config", str(node.config)]
    started = time.perf_counter()
    subprocess.run(command, env=node.env(), check=True, capture_output=True)
    node.publish_seconds = time.perf_counter() - started
    return node


def serve(node: Node) -> server.Server:
    """Start the node with uvicorn, one worker."""
    port = server.free_port()
    env = node.env() | {"SIMPUL_URL": f"http://127.0.0.1:{port}"}
    log = node.folder / "server.log"
    app = "simpul.server.app:app"
    return server.uvicorn(Path(sys.executable), app, env, log, port)
