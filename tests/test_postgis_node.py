"""A node over PostGIS when the database goes away, stalls, or a publish dies.

These tests stop and restart the database, so they run on a cluster of their
own rather than the session's.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import requests
import yaml

from simpul import cli
from simpul.store import pgcluster

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
KELURAHAN = SHARED / "banjarbaru" / "kelurahan_banjarbaru.geojson"
KECAMATAN = SHARED / "kalsel" / "kecamatan_kalsel.geojson"
NAME = "KELURAHAN_AR_25K"
SETTINGS = {"SIMPUL_DB_POOL_TIMEOUT": "1", "SIMPUL_DB_STATEMENT_TIMEOUT_MS": "1000"}


@pytest.fixture(scope="module")
def cluster() -> Iterator[pgcluster.Cluster]:
    """A cluster these tests may stop and start."""
    if pgcluster.server_bindir() is None:
        pytest.fail("PostgreSQL with PostGIS is not installed (see scripts/test)")
    own = pgcluster.create()
    yield own
    own.remove()


@pytest.fixture
def served(start_node, cluster, monkeypatch) -> Callable[..., Any]:
    """Return a function starting a node that serves the kelurahan from PostGIS."""

    def start(healthy: bool = True, **env: str) -> Any:
        node_env = {"SIMPUL_STORE": cluster.url("simpul_reader"), **SETTINGS, **env}
        node = start_node(healthy=healthy, env=node_env)
        publish(cluster, node.config, KELURAHAN, monkeypatch)
        # The running node picks the new collection up by itself, a moment later.
        wait_for(lambda: items(node).status_code != 404)
        return node

    return start


def publish(cluster: pgcluster.Cluster, config: Path, path: Path, monkeypatch) -> None:
    """Publish *path* as NAME with `simpul publish`, as the publishing role."""
    monkeypatch.setenv("SIMPUL_STORE", cluster.url("simpul_publisher"))
    argv = ["publish", str(path), "--name", NAME, "--config", str(config)]
    assert cli.main(argv) == 0
    monkeypatch.delenv("SIMPUL_STORE")


def items(node: Any, **params: Any) -> requests.Response:
    """GET the layer's items."""
    url = f"{node.url}/collections/{NAME}/items"
    return requests.get(url, params=params, timeout=30)


def wait_for(check: Callable[[], bool], seconds: float = 20) -> None:
    """Poll *check* until it holds; fail after *seconds*."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the condition did not hold in time"
        time.sleep(0.2)


def assert_unavailable(response: requests.Response) -> None:
    """Assert a 503 with an OGC exception body."""
    assert response.status_code == 503, response.text
    assert response.json()["code"] == "ServiceUnavailable"
    assert response.json()["description"]


def test_database_lost_while_serving_is_503_until_it_returns(served, cluster):
    node = served()
    assert items(node).status_code == 200

    cluster.stop()
    try:
        assert_unavailable(items(node))
        assert requests.get(f"{node.url}/healthz", timeout=30).status_code == 503
    finally:
        cluster.start()

    wait_for(lambda: items(node).status_code == 200)
    assert items(node).json()["numberMatched"] == 20


def test_node_started_without_its_database_serves_once_it_is_up(
    served, cluster, start_node
):
    resources = served().read_config()["resources"]

    cluster.stop()
    try:
        node = start_node(
            lambda config: config["resources"].update(resources),
            healthy=False,
            env={"SIMPUL_STORE": cluster.url("simpul_reader"), **SETTINGS},
        )
        assert_unavailable(items(node))
        assert requests.get(f"{node.url}/healthz", timeout=30).status_code == 503
    finally:
        cluster.start()

    wait_for(lambda: items(node).status_code == 200)
    assert items(node).json()["numberMatched"] == 20


def test_statement_timeout_is_503_and_the_worker_serves_on(served, cluster):
    node = served()
    table = _table(cluster)
    with psycopg.connect(cluster.admin_url()) as admin:
        admin.execute(f'LOCK TABLE "{table}" IN ACCESS EXCLUSIVE MODE')

        started = time.monotonic()
        response = items(node)
        assert_unavailable(response)
        assert "longer" in response.json()["description"]
        assert time.monotonic() - started < 10
        assert requests.get(f"{node.url}/collections", timeout=10).status_code == 200
        admin.rollback()

    assert items(node).status_code == 200


def test_killed_publish_leaves_the_old_table_served(served, cluster, tmp_path):
    node = served()
    live = _table(cluster)
    env = os.environ | {"SIMPUL_STORE": cluster.url("simpul_publisher")}
    command = [sys.executable, "-m", "simpul.cli", "publish", str(KECAMATAN)]
    command += ["--name", NAME, "--config", str(node.config)]

    with psycopg.connect(cluster.admin_url()) as admin:
        # Hold the registry so the publish loads its table, then waits to swap.
        admin.execute("LOCK TABLE simpul_layers IN EXCLUSIVE MODE")
        process = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
        try:
            wait_for(lambda: _publisher_waits(cluster), seconds=60)
            process.send_signal(signal.SIGKILL)
            process.wait()
            assert items(node).json()["numberMatched"] == 20
        finally:
            process.kill()
            admin.rollback()

    wait_for(lambda: not _publisher_busy(cluster))
    assert _tables(cluster) == [live]
    assert items(node).json()["numberMatched"] == 20


def test_large_counts_are_estimated_and_marked(served):
    node = served(SIMPUL_COUNT_EXACT_BELOW="1")

    filtered = items(node, filter="nama LIKE '%a%'").json()
    whole = items(node).json()

    assert filtered["numberMatchedEstimated"] is True
    assert filtered["numberMatched"] >= 1
    assert whole["numberMatched"] == 20
    assert "numberMatchedEstimated" not in whole


def _query(cluster: pgcluster.Cluster, sql: str) -> list[tuple]:
    with psycopg.connect(cluster.admin_url(), autocommit=True) as conn:
        return conn.execute(sql).fetchall()


def _table(cluster: pgcluster.Cluster) -> str:
    rows = _query(
        cluster, f"SELECT table_name FROM simpul_layers WHERE name = '{NAME}'"
    )
    return rows[0][0]


def _tables(cluster: pgcluster.Cluster) -> list[str]:
    sql = f"SELECT tablename FROM pg_tables WHERE tablename LIKE '{NAME}%'"
    return [r[0] for r in _query(cluster, sql)]


def _publisher_waits(cluster: pgcluster.Cluster) -> bool:
    sql = (
        "SELECT 1 FROM pg_stat_activity WHERE usename = 'simpul_publisher'"
        " AND wait_event_type = 'Lock'"
    )
    return bool(_query(cluster, sql))


def _publisher_busy(cluster: pgcluster.Cluster) -> bool:
    sql = (
        "SELECT 1 FROM pg_stat_activity WHERE usename = 'simpul_publisher'"
        " AND state <> 'idle'"
    )
    return bool(_query(cluster, sql))


def test_store_option_for_the_nodes_database_keeps_the_nodes_reference(
    start_node, cluster, monkeypatch
) -> None:
    node = start_node(env={"SIMPUL_STORE": cluster.url("simpul_reader"), **SETTINGS})
    monkeypatch.setenv("SIMPUL_STORE", cluster.url("simpul_reader"))
    publisher = cluster.url("simpul_publisher")

    argv = ["publish", str(KELURAHAN), "--name", NAME, "--config", str(node.config)]
    assert cli.main([*argv, "--store", publisher]) == 0

    config = node.read_config()
    served = config["resources"][NAME]["providers"][0]["data"]
    assert served == config["simpul"]["store"]
    assert cluster.passwords["simpul_publisher"] not in node.config.read_text()
    wait_for(lambda: items(node).status_code == 200)
    assert items(node).json()["numberMatched"] == 20


def test_store_option_never_writes_a_password_into_the_config(
    tmp_path, cluster, monkeypatch, capsys
) -> None:
    monkeypatch.delenv("SIMPUL_STORE", raising=False)
    config = tmp_path / "pygeoapi-config.yml"
    config.write_bytes((Path(__file__).parents[1] / "pygeoapi-config.yml").read_bytes())
    publisher = cluster.url("simpul_publisher")

    argv = ["publish", str(KELURAHAN), "--name", NAME, "--config", str(config)]
    assert cli.main([*argv, "--store", publisher]) == 0

    password = cluster.passwords["simpul_publisher"]
    assert password not in config.read_text()
    data = yaml.safe_load(config.read_text())["resources"][NAME]["providers"][0]["data"]
    assert data == f"postgresql://simpul_publisher@127.0.0.1:{cluster.port}/simpul"
    assert "without its password" in capsys.readouterr().err
