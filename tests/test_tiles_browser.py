"""The node's MapLibre page renders its tiles in headless Chromium."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import websocket
import yaml

from simpul import cli

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
KELURAHAN = SHARED / "banjarbaru" / "kelurahan_banjarbaru.geojson"
NAME = "KELURAHAN_AR_25K"
#: Software WebGL: CI machines have no GPU.
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--use-gl=angle",
    "--use-angle=swiftshader-webgl",
    "--enable-unsafe-swiftshader",
    "--window-size=800,600",
    "--remote-debugging-port=0",
]


@pytest.fixture
def chromium(tmp_path: Path) -> Iterator[str]:
    """Start headless Chromium; yield its DevTools HTTP address."""
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        pytest.fail("Debian's chromium is not installed (see scripts/test)")
    command = [binary, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        yield _devtools_address(process)
    finally:
        process.terminate()
        process.wait(timeout=10)


def _devtools_address(process: subprocess.Popen) -> str:
    """Read the DevTools port Chromium announces on stderr."""
    assert process.stderr is not None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        found = re.search(r"DevTools listening on ws://([^/]+)/", line)
        if found:
            return found.group(1)
    pytest.fail("Chromium did not start")


def page_status(address: str, url: str, timeout: float = 90) -> dict[str, Any]:
    """Open *url* in a new tab; return its tileStatus once the map is idle."""
    target = requests.put(f"http://{address}/json/new?{url}", timeout=10).json()
    tab = websocket.create_connection(target["webSocketDebuggerUrl"], timeout=10)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            tab.send(
                json.dumps(
                    {
                        "id": 1,
                        "method": "Runtime.evaluate",
                        "params": {
                            "expression": "JSON.stringify(window.tileStatus || null)",
                            "returnByValue": True,
                        },
                    }
                )
            )
            reply = json.loads(tab.recv())
            value = reply.get("result", {}).get("result", {}).get("value")
            status = json.loads(value) if value else None
            if status and (status["ready"] or status["failed"]):
                return status
            time.sleep(0.5)
    finally:
        tab.close()
    pytest.fail("the map did not become idle")


@pytest.fixture
def node(start_node: Callable[..., Any]) -> Any:
    """A node serving the kelurahan with tiles from the GeoPackage store."""
    started = start_node()
    argv = ["publish", str(KELURAHAN), "--name", NAME, "--config", str(started.config)]
    assert cli.main(argv) == 0
    config = yaml.safe_load(started.config.read_text(encoding="utf-8"))
    providers = config["resources"][NAME]["providers"]
    if not any(p["type"] == "tile" for p in providers):
        providers.append(
            {
                "type": "tile",
                "name": "simpul_providers.tiles.TileProvider",
                "data": providers[0]["data"],
                "table": NAME,
                "format": {
                    "name": "mvt",
                    "mimetype": "application/vnd.mapbox-vector-tile",
                },
            }
        )
    started.write_config(config)
    deadline = time.monotonic() + 30
    while not requests.get(f"{started.url}/collections/{NAME}/tiles", timeout=10).ok:
        assert time.monotonic() < deadline, "the node did not load the tiles"
        time.sleep(0.2)
    return started


def test_maplibre_page_renders_the_tiles(node: Any, chromium: str) -> None:
    url = f"{node.url}/collections/{NAME}/tiles/WebMercatorQuad?f=html"
    status = page_status(chromium, url)
    assert status["failed"] == []
    assert status["loaded"] > 0
    # Tiles are fetched by MapLibre's worker: the node's access log sees them all.
    log = node.log.read_text(encoding="utf-8", errors="replace")
    tiles = re.findall(r'"GET /collections/[^ ]+/\d+/\d+/\d+ HTTP/1.1" (\d+)', log)
    assert tiles and set(tiles) <= {"200", "204"}
    assert status["painted"] > 1000, "the canvas shows only the background"
