"""Shared fixtures: a real node served by uvicorn in a subprocess."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml

REPO = Path(__file__).resolve().parent.parent
BASE_CONFIG = REPO / "pygeoapi-config.yml"
SHARED_DATA = REPO.parent / "shared" / "data"


def pytest_sessionstart(session: pytest.Session) -> None:
    """In CI, refuse to run without ../shared/data rather than skip its tests."""
    if os.environ.get("CI") and not SHARED_DATA.is_dir():
        pytest.exit(f"CI needs the real data beside the checkout: {SHARED_DATA}", 1)


STARTUP_TIMEOUT = 30.0

ConfigEdit = Callable[[dict[str, Any]], None]


@dataclass
class Node:
    """A running node: its base URL and the files it serves from."""

    url: str
    config: Path
    openapi: Path
    data: Path
    log: Path

    def read_config(self) -> dict[str, Any]:
        """Return the node's configuration file as written (no substitution)."""
        return yaml.safe_load(self.config.read_text(encoding="utf-8"))

    def write_config(self, config: dict[str, Any]) -> None:
        """Replace the configuration file atomically, as publishing does."""
        tmp = self.config.with_suffix(".tmp")
        tmp.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
        os.replace(tmp, self.config)


def free_port() -> int:
    """Return a TCP port that is free on the loopback interface right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def node_environment(node: Node) -> dict[str, str]:
    """Return the environment the server process runs with."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIMPUL_")}
    env["PYGEOAPI_CONFIG"] = str(node.config)
    env["PYGEOAPI_OPENAPI"] = str(node.openapi)
    # The node's public URL is where the tests reach it, so clients can follow links.
    env["SIMPUL_URL"] = node.url
    return env


def wait_until_up(node: Node, process: subprocess.Popen, healthy: bool) -> None:
    """Poll /healthz until it answers (200 if *healthy*); fail with the log."""
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            status = requests.get(f"{node.url}/healthz", timeout=2).status_code
            if status == 200 or not healthy:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    log = node.log.read_text(encoding="utf-8", errors="replace")
    pytest.fail(f"node did not become healthy; server log:\n{log}")


def stop(process: subprocess.Popen) -> None:
    """Stop the server process started by a fixture."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def launch(
    folder: Path,
    started: list[subprocess.Popen],
    edit: ConfigEdit | None = None,
    healthy: bool = True,
    env: dict[str, str] | None = None,
) -> Node:
    """Start a node in *folder* on a copy of the base config; record its process."""
    (folder / "data").mkdir(parents=True)
    node = Node(
        url=f"http://127.0.0.1:{free_port()}",
        config=folder / "pygeoapi-config.yml",
        openapi=folder / "pygeoapi-openapi.yml",
        data=folder / "data",
        log=folder / "server.log",
    )
    shutil.copyfile(BASE_CONFIG, node.config)
    if edit is not None:
        config = node.read_config()
        edit(config)
        node.write_config(config)

    port = node.url.rsplit(":", 1)[1]
    command = [sys.executable, "-m", "uvicorn", "simpul.server.app:app"]
    command += ["--host", "127.0.0.1", "--port", port, "--no-proxy-headers"]
    with node.log.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=folder,
            env=node_environment(node) | (env or {}),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    started.append(process)
    wait_until_up(node, process, healthy)
    return node


@pytest.fixture
def start_node(tmp_path: Path) -> Iterator[Callable[..., Node]]:
    """Return a function starting a node on a temp copy of the base config."""
    processes: list[subprocess.Popen] = []

    def start(
        edit: ConfigEdit | None = None,
        healthy: bool = True,
        env: dict[str, str] | None = None,
    ) -> Node:
        folder = tmp_path / f"node{len(processes)}"
        return launch(folder, processes, edit, healthy, env)

    yield start
    for process in processes:
        stop(process)


@pytest.fixture(scope="module")
def start_module_node(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[..., Node]]:
    """Like start_node, for nodes that serve every test of a module."""
    processes: list[subprocess.Popen] = []
    parent = tmp_path_factory.mktemp("module-nodes")

    def start(
        edit: ConfigEdit | None = None,
        healthy: bool = True,
        env: dict[str, str] | None = None,
    ) -> Node:
        return launch(parent / f"node{len(processes)}", processes, edit, healthy, env)

    yield start
    for process in processes:
        stop(process)


@pytest.fixture
def node(start_node: Callable[..., Node]) -> Node:
    """Return a running node with the base configuration and nothing published."""
    return start_node()


#: Two offices in Banjarbaru, as GeoJSON with KUGI-style attribute names.
OFFICES = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "id": 1,
            "properties": {"NAMOBJ": "Balai Kota Banjarbaru", "FCODE": "BA0010"},
            "geometry": {"type": "Point", "coordinates": [114.8316, -3.4580]},
        },
        {
            "type": "Feature",
            "id": 2,
            "properties": {"NAMOBJ": "Kantor Camat Landasan Ulin", "FCODE": "BA0010"},
            "geometry": {"type": "Point", "coordinates": [114.7580, -3.4420]},
        },
    ],
}


def collection(provider: str, data: str) -> dict[str, Any]:
    """Return a resource definition of the shape `simpul publish` writes."""
    crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
    return {
        "type": "collection",
        "title": {"id": "Kantor pemerintahan", "en": "Government offices"},
        "description": "Kantor pemerintahan Kota Banjarbaru",
        "keywords": ["kantor", "pemerintahan"],
        "extents": {"spatial": {"bbox": [114.7, -3.5, 114.9, -3.4], "crs": crs84}},
        "providers": [
            {
                "type": "feature",
                "name": provider,
                "data": data,
                "id_field": "id",
                "storage_crs": crs84,
            }
        ],
    }


@pytest.fixture
def publish_geojson() -> Callable[[Node, str], None]:
    """Return a function publishing the offices as a GeoJSON-backed collection."""
    from simpul.openapi import write_openapi

    def publish(node: Node, name: str) -> None:
        (node.data / f"{name}.geojson").write_text(json.dumps(OFFICES))
        config = node.read_config()
        config["resources"][name] = collection(
            "pygeoapi.provider.geojson.GeoJSONProvider", f"data/{name}.geojson"
        )
        node.write_config(config)
        write_openapi(node.config, node.openapi)

    return publish


#: The store a node serves from, as `simpul publish` writes it into the config.
STORE_REFERENCE = "${SIMPUL_STORE:-data/simpul.gpkg}"


@dataclass
class Backend:
    """One kind of store a test runs against: the GeoPackage file or PostGIS."""

    name: str
    serve_url: str | None = None  # the serving role's URL; None for GeoPackage
    publish_url: str | None = None

    @property
    def node_env(self) -> dict[str, str]:
        """Return the environment a node serving this store runs with."""
        return {"SIMPUL_STORE": self.serve_url} if self.serve_url else {}

    @property
    def publish_env(self) -> dict[str, str]:
        """Return the environment `simpul publish` runs with for this store."""
        return {"SIMPUL_STORE": self.publish_url} if self.publish_url else {}

    def writer(self, node: Node) -> Any:
        """Return a StoreWriter publishing into the store *node* serves."""
        from simpul.store import open_writer

        if self.publish_url:
            from simpul.store.postgis import PostGISWriter

            return PostGISWriter(self.publish_url, grace_seconds=0)
        return open_writer(str(node.data / "simpul.gpkg"))


@pytest.fixture(scope="session")
def postgis_cluster() -> Iterator[Any]:
    """Start a throwaway PostgreSQL/PostGIS cluster for the test session."""
    from simpul.store import pgcluster

    if pgcluster.server_bindir() is None:
        pytest.fail("PostgreSQL with PostGIS is not installed (see scripts/test)")
    # In the system's temporary folder: the postgres user cannot enter pytest's.
    cluster = pgcluster.create()
    yield cluster
    cluster.remove()


@contextlib.contextmanager
def fresh_database(cluster: Any) -> Iterator[str]:
    """Create a database copied from the cluster's template; drop it after."""
    import uuid

    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = cluster.admin_url("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE simpul")
    yield name
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture
def postgis_database(postgis_cluster: Any) -> Iterator[str]:
    """Return the name of an empty database of the session's cluster."""
    with fresh_database(postgis_cluster) as name:
        yield name


def make_backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    """Yield the Backend *request.param* names, with its own database."""
    if request.param == "gpkg":
        yield Backend("gpkg")
        return
    cluster = request.getfixturevalue("postgis_cluster")
    with fresh_database(cluster) as database:
        yield Backend(
            "postgis",
            serve_url=cluster.url("simpul_reader", database),
            publish_url=cluster.url("simpul_publisher", database),
        )


@pytest.fixture(params=["gpkg", "postgis"])
def backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    """Run the test once against each store, each time an empty one."""
    yield from make_backend(request)


@pytest.fixture(scope="module", params=["gpkg", "postgis"])
def module_backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    """Run the module's tests against each store, one store per module."""
    yield from make_backend(request)
