"""Start the servers the PostGIS benchmark compares, each on a loopback port.

Our node runs exactly as the Dockerfile runs it (gunicorn with
deploy/gunicorn.conf.py); tipg and vanilla pygeoapi run from virtualenvs of
their own under benchmarks/work/, serving the same PostGIS table.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import requests
import yaml

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "benchmarks" / "work"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
TILE_MVT = {"name": "pbf", "mimetype": "application/vnd.mapbox-vector-tile"}


@dataclass
class Server:
    """A running server and how to address the layer on it."""

    name: str
    url: str
    collection: str  # the collection's path, e.g. /collections/BANGUNAN_AR_5K
    tile: Callable[[int, int, int], str]  # (z, x, y) -> path
    process: subprocess.Popen
    cache: Path | None = None  # the server's own tile cache, if it keeps one

    def clear_cache(self) -> None:
        """Empty the server's tile cache, so that tiles are measured cold."""
        if self.cache is not None and self.cache.is_dir():
            shutil.rmtree(self.cache)

    def stop(self) -> None:
        """Stop the server."""
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def free_port() -> int:
    """Return a TCP port free on the loopback now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def launch(
    command: list[str], env: dict, cwd: Path, url: str, probe: str
) -> subprocess.Popen:
    """Start *command*; return its process once *probe* answers 200."""
    log = (cwd / "server.log").open("ab")
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=log, stderr=log)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if requests.get(url + probe, timeout=5).status_code == 200:
                return process
        except requests.RequestException:
            pass
        time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"{command[0]} did not start; see {cwd / 'server.log'}")


def ours(name: str, folder: Path, env: dict, layer: str, workers: int) -> Server:
    """Start our node over the config in *folder* with *workers* processes."""
    port = free_port()
    env = (
        os.environ
        | env
        | {
            "PYGEOAPI_CONFIG": str(folder / "pygeoapi-config.yml"),
            "PYGEOAPI_OPENAPI": str(folder / "openapi.yml"),
            "SIMPUL_BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": str(workers),
            "SIMPUL_URL": f"http://127.0.0.1:{port}",
        }
    )
    gunicorn = [sys.executable, "-m", "gunicorn", "--config"]
    command = gunicorn + [str(REPO / "deploy" / "gunicorn.conf.py")]
    command += ["--access-logfile", "/dev/null", "simpul.server.app:app"]
    url = f"http://127.0.0.1:{port}"
    process = launch(command, env, folder, url, f"/collections/{layer}")
    tile = f"/collections/{layer}/tiles/WebMercatorQuad/{{z}}/{{y}}/{{x}}"
    cache = folder / "data" / "cache"
    return Server(name, url, f"/collections/{layer}", _tile(tile), process, cache)


def tipg(venv: Path, database_url: str, table: str, folder: Path) -> Server:
    """Start tipg (one uvicorn worker) over the database's public schema."""
    port = free_port()
    env = os.environ | {
        "DATABASE_URL": database_url,
        "TIPG_DB_SCHEMAS": '["public"]',
        "TIPG_MAX_FEATURES_PER_QUERY": "10000",
    }
    command = [str(venv / "bin" / "uvicorn"), "tipg.main:app", "--port", str(port)]
    command += ["--no-access-log", "--log-level", "warning"]
    url = f"http://127.0.0.1:{port}"
    collection = f"/collections/public.{table}"
    process = launch(command, env, folder, url, collection)
    tile = f"{collection}/tiles/WebMercatorQuad/{{z}}/{{x}}/{{y}}"
    return Server("tipg", url, collection, _tile(tile), process)


def pygeoapi(venv: Path, db: dict, table: str, folder: Path) -> Server:
    """Start vanilla pygeoapi 0.24 (one uvicorn worker), PostgreSQL providers."""
    port = free_port()
    config, openapi = folder / "config.yml", folder / "openapi.yml"
    config.write_text(yaml.safe_dump(_vanilla_config(db, table, port)))
    env = os.environ | {
        "PYGEOAPI_CONFIG": str(config),
        "PYGEOAPI_OPENAPI": str(openapi),
    }
    subprocess.run(
        [str(venv / "bin" / "pygeoapi"), "openapi", "generate", str(config)]
        + ["--output-file", str(openapi)],
        env=env,
        check=True,
        capture_output=True,
    )
    command = [str(venv / "bin" / "uvicorn"), "pygeoapi.starlette_app:APP"]
    command += ["--port", str(port), "--no-access-log", "--log-level", "warning"]
    url = f"http://127.0.0.1:{port}"
    process = launch(command, env, folder, url, "/collections/layer")
    tile = "/collections/layer/tiles/WebMercatorQuad/{z}/{y}/{x}?f=mvt"
    return Server("pygeoapi", url, "/collections/layer", _tile(tile), process)


def _vanilla_config(db: dict, table: str, port: int) -> dict:
    data = {**db, "search_path": ["public"]}
    common = {"data": data, "id_field": "fid", "table": table, "geom_field": "geom"}
    return {
        "server": {
            "bind": {"host": "127.0.0.1", "port": port},
            "url": f"http://127.0.0.1:{port}",
            "mimetype": "application/json; charset=UTF-8",
            "encoding": "utf-8",
            "languages": ["en-US"],
            "limits": {"default_items": 10, "max_items": 10000},
            "map": {
                "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                "attribution": "OSM",
            },
        },
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {
                "title": "bench",
                "description": "bench",
                "keywords": ["bench"],
                "keywords_type": "theme",
                "terms_of_service": "none",
                "url": "http://x",
            },
            "license": {"name": "CC-BY 4.0", "url": "http://x"},
            "provider": {"name": "bench", "url": "http://x"},
            "contact": {"name": "bench"},
        },
        "resources": {
            "layer": {
                "type": "collection",
                "title": "layer",
                "description": "layer",
                "keywords": ["layer"],
                "extents": {
                    "spatial": {"bbox": [114.6, -3.6, 115.0, -3.3], "crs": CRS84}
                },
                "providers": [
                    {"type": "feature", "name": "PostgreSQL", **common},
                    {
                        "type": "tile",
                        "name": "MVT-postgresql",
                        **common,
                        "options": {"zoom": {"min": 0, "max": 18}},
                        "format": TILE_MVT,
                    },
                ],
            }
        },
    }


def _tile(template: str) -> Callable[[int, int, int], str]:
    return lambda z, x, y: template.format(z=z, x=x, y=y)


def venv(name: str, packages: list[str]) -> Path:
    """Return a virtualenv under benchmarks/work/ with *packages*, made once."""
    path = WORK / f"venv-{name}"
    stamp = path / ".installed"
    if not stamp.exists():
        subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
        pip = [str(path / "bin" / "pip"), "install", "--quiet", *packages]
        subprocess.run(pip, check=True)
        stamp.write_text(" ".join(packages))
    return path
