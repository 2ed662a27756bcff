"""Benchmark vector tiles: this node beside the ST_AsMVT floor, tipg and pygeoapi.

    .venv/bin/python benchmarks/tiles.py [--runs 5] [--no-peers]

Workload: the 150,000 buildings of ../shared/bench/make_buildings.py, tiles of
WebMercatorQuad at z12, z14 and z16 over the city centre. Everything lives in
benchmarks/work/ (git-ignored): the data, a throwaway PostgreSQL cluster, a node
serving the GeoPackage store, and the peers in virtualenvs of their own.
Each figure is the median of --runs requests; every figure is measured in the
same run, so the ratios compare like with like on this machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import morecantile
import requests
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "benchmarks" / "work"
RESULTS = ROOT / "benchmarks" / "results"
MAKER = ROOT.parent / "shared" / "bench" / "make_buildings.py"
CENTRE = (114.8205, -3.4430)
ZOOMS = (12, 14, 16)
TIMEOUT = 60.0
PASSWORD = "bench"
FLOOR_SQL = """
WITH b AS (SELECT ST_TileEnvelope({z},{x},{y}) AS e),
mvt AS (
  SELECT ST_AsMVTGeom(ST_Transform(t.geom, 3857), b.e, 4096, 64, true) AS geom,
    id, namobj, fcode, remark, metadata, srs_id, fungsi, lantai, wadmkd, kdepum,
    tglupdate
  FROM buildings t, b WHERE t.geom && ST_Transform(b.e, 4326))
SELECT length(ST_AsMVT(mvt.*, 'buildings', 4096, 'geom', 'id')) FROM mvt;
"""

CANCEL_SQL = (
    "SELECT pg_cancel_backend(pid) FROM pg_stat_activity "
    "WHERE state = 'active' AND pid <> pg_backend_pid()"
)

sys.path.insert(0, str(ROOT))
from simpul.store import pgcluster  # noqa: E402


def median_ms(measure: Callable[[], float], runs: int) -> float:
    """Return the median of *runs* timings, in milliseconds."""
    return statistics.median(measure() for _ in range(runs)) * 1000


def buildings() -> Path:
    """Make the shared workload once."""
    path = WORK / "buildings.geojsonl"
    if not path.exists():
        maker = [sys.executable, str(MAKER), "--count", "150000", "--out", str(path)]
        subprocess.run(maker, check=True)
    return path


def database(data: Path) -> tuple[pgcluster.Cluster, str]:
    """Start a throwaway cluster, load the buildings; return it and a TCP URL."""
    cluster = pgcluster.create()
    sql = f"ALTER ROLE postgres PASSWORD '{PASSWORD}'"
    psql(cluster, sql)
    # As the node's own connections do: JIT compiling costs short statements more
    # than it saves. Set for the database, so the floor and every peer get it.
    psql(cluster, "ALTER DATABASE simpul SET jit = off")
    pg = f"PG:host={cluster.folder} port={cluster.port} user=postgres dbname=simpul"
    load = ["ogr2ogr", "-f", "PostgreSQL", pg, str(data), "-nln", "buildings"]
    load += ["-lco", "GEOMETRY_NAME=geom", "-lco", "FID=id", "-nlt", "POLYGON"]
    load += ["-a_srs", "EPSG:4326", "--config", "PG_USE_COPY", "YES"]
    subprocess.run(["runuser", "-u", "postgres", "--", *load], check=True)
    psql(cluster, "VACUUM ANALYZE buildings")
    url = f"postgresql://postgres:{PASSWORD}@127.0.0.1:{cluster.port}/simpul"
    return cluster, url


def psql(cluster: pgcluster.Cluster, sql: str) -> str:
    """Run SQL as the superuser over the cluster's socket; return its output."""
    command = [
        str(cluster.bindir / "psql"),
        "-X",
        "-q",
        "-At",
        "-h",
        str(cluster.folder),
    ]
    command += ["-p", str(cluster.port), "-d", "simpul", "-v", "ON_ERROR_STOP=1"]
    done = subprocess.run(
        ["runuser", "-u", "postgres", "--", *command],
        input=sql,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def floor_ms(cluster: pgcluster.Cluster, tile: morecantile.Tile, runs: int) -> float:
    """Return the median server time of the one-statement ST_AsMVT tile."""
    query = FLOOR_SQL.format(z=tile.z, x=tile.x, y=tile.y)
    out = psql(cluster, "\\timing on\n" + query * (runs + 1))
    times = [
        float(line.split()[1]) for line in out.splitlines() if line.startswith("Time:")
    ]
    return statistics.median(times[1:])


def free_port() -> int:
    """Return a free loopback port."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(
    command: list[str], env: dict[str, str], probe: str, log: Path
) -> subprocess.Popen:
    """Start a server and wait until *probe* answers."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=log.parent,
        )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if requests.get(probe, timeout=5).ok:
                return process
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    process.terminate()
    raise RuntimeError(f"{command[0]} did not start; see {log}")


def our_node(data: Path) -> tuple[subprocess.Popen, str, Path]:
    """Publish the buildings into a GeoPackage node and serve it."""
    folder = WORK / "node"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    config = folder / "pygeoapi-config.yml"
    shutil.copyfile(ROOT / "pygeoapi-config.yml", config)
    simpul = [sys.executable, "-m", "simpul.cli", "publish", str(data)]
    subprocess.run(
        [*simpul, "--name", "buildings", "--config", str(config)], check=True
    )
    node = yaml.safe_load(config.read_text())
    providers = node["resources"]["buildings"]["providers"]
    if not any(p["type"] == "tile" for p in providers):
        providers.append(
            {
                "type": "tile",
                "name": "simpul_providers.tiles.TileProvider",
                "data": providers[0]["data"],
                "table": "buildings",
                "format": {
                    "name": "mvt",
                    "mimetype": "application/vnd.mapbox-vector-tile",
                },
            }
        )
    config.write_text(yaml.safe_dump(node, allow_unicode=True))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        "PYGEOAPI_CONFIG": str(config),
        "PYGEOAPI_OPENAPI": str(folder / "openapi.yml"),
        "SIMPUL_URL": url,
    }
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "simpul.server.app:app",
        "--port",
        str(port),
    ]
    process = serve(command, env, f"{url}/healthz", folder / "server.log")
    return process, url, folder / "data" / "cache" / "tiles"


def venv(name: str, packages: list[str]) -> Path:
    """Create benchmarks/work/<name> with *packages* once; return its bin folder."""
    bindir = WORK / name / "bin"
    if not (bindir / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(WORK / name)], check=True)
        pip = [str(bindir / "pip"), "install", "--quiet", *packages]
        subprocess.run(pip, check=True)
    return bindir


def tipg(url: str) -> tuple[subprocess.Popen, str]:
    """Serve the buildings with tipg from PyPI."""
    bindir = venv("tipg-venv", ["tipg", "uvicorn"])
    port = free_port()
    env = {
        "DATABASE_URL": url,
        "TIPG_MAX_FEATURES_PER_TILE": "10000000",
        "TIPG_DB_SCHEMAS": '["public"]',
    }
    command = [str(bindir / "uvicorn"), "tipg.main:app", "--port", str(port)]
    process = serve(command, env, f"http://127.0.0.1:{port}/healthz", WORK / "tipg.log")
    tiles = (
        f"http://127.0.0.1:{port}/collections/public.buildings/tiles/WebMercatorQuad"
    )
    return process, tiles + "/{z}/{x}/{y}"


def vanilla_pygeoapi(cluster: pgcluster.Cluster) -> tuple[subprocess.Popen, str]:
    """Serve the buildings with pygeoapi's own MVT-postgresql provider."""
    bindir = venv(
        "pygeoapi-venv",
        ["pygeoapi==0.24.0", "geoalchemy2", "psycopg2-binary", "starlette", "uvicorn"],
    )
    port = free_port()
    folder = WORK / "pygeoapi"
    folder.mkdir(exist_ok=True)
    config = yaml.safe_load((ROOT / "pygeoapi-config.yml").read_text())
    config["server"]["url"] = f"http://127.0.0.1:{port}"
    config.pop("simpul", None)
    connection = {
        "host": "127.0.0.1",
        "port": cluster.port,
        "dbname": "simpul",
        "user": "postgres",
        "password": PASSWORD,
        "search_path": ["public"],
    }
    config["resources"] = {
        "buildings": {
            "type": "collection",
            "title": "buildings",
            "description": "buildings",
            "keywords": ["buildings"],
            "extents": {"spatial": {"bbox": [114.6, -3.6, 115.0, -3.3]}},
            "providers": [
                {
                    "type": "tile",
                    "name": "MVT-postgresql",
                    "data": connection,
                    "id_field": "id",
                    "table": "buildings",
                    "geom_field": "geom",
                    "options": {"zoom": {"min": 0, "max": 22}},
                    "format": {
                        "name": "pbf",
                        "mimetype": "application/vnd.mapbox-vector-tile",
                    },
                }
            ],
        }
    }
    (folder / "config.yml").write_text(yaml.safe_dump(config))
    env = {
        "PYGEOAPI_CONFIG": str(folder / "config.yml"),
        "PYGEOAPI_OPENAPI": str(folder / "openapi.yml"),
    }
    generate = [
        str(bindir / "pygeoapi"),
        "openapi",
        "generate",
        str(folder / "config.yml"),
        "--output-file",
        str(folder / "openapi.yml"),
    ]
    subprocess.run(generate, env={**os.environ, **env}, check=True, capture_output=True)
    command = [
        str(bindir / "uvicorn"),
        "pygeoapi.starlette_app:APP",
        "--port",
        str(port),
    ]
    base = f"http://127.0.0.1:{port}"
    process = serve(command, env, f"{base}/conformance?f=json", WORK / "pygeoapi.log")
    return (
        process,
        base + "/collections/buildings/tiles/WebMercatorQuad/{z}/{y}/{x}?f=pbf",
    )


def http_ms(
    session: requests.Session,
    url: str,
    runs: int,
    before: Callable[[], None] = lambda: None,
) -> float | None:
    """Return the median time of GET *url*, or None when it times out."""

    def once() -> float:
        before()
        started = time.perf_counter()
        response = session.get(url, timeout=TIMEOUT)
        response.raise_for_status()
        return time.perf_counter() - started

    try:
        return median_ms(once, runs)
    except requests.Timeout:
        return None


def main() -> None:
    """Measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-peers", action="store_true", help="skip tipg, pygeoapi")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)

    data = buildings()
    cluster, url = database(data)
    started: list[subprocess.Popen] = []
    try:
        process, node_url, cache = our_node(data)
        started.append(process)
        peers: dict[str, str] = {}
        if not args.no_peers:
            for name, start in (
                ("tipg", lambda: tipg(url)),
                ("pygeoapi MVT-postgresql", lambda: vanilla_pygeoapi(cluster)),
            ):
                try:
                    peer, template = start()
                    started.append(peer)
                    peers[name] = template
                except (RuntimeError, subprocess.CalledProcessError) as err:
                    print(f"{name}: not measured ({err})", file=sys.stderr)
        lines = report(args.runs, cluster, node_url, cache, peers)
    finally:
        for process in started:
            process.terminate()
        cluster.remove()
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{time.strftime('%Y-%m-%d')}-tiles.txt"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"written to {out}")


def report(
    runs: int,
    cluster: pgcluster.Cluster,
    node_url: str,
    cache: Path,
    peers: dict[str, str],
) -> list[str]:
    """Measure every tile, print one row per zoom and return the printed lines."""
    from simpul.store.gpkg_read import GeoPackageStore
    from simpul.tiles import TileOptions

    store = GeoPackageStore(WORK / "node" / "data" / "simpul.gpkg")
    layer = store.layer("buildings")
    tms = morecantile.tms.get("WebMercatorQuad")
    session = requests.Session()
    header = [
        "zoom",
        "features",
        "floor ST_AsMVT",
        "store cold",
        "x floor",
        "HTTP cold",
        "HTTP warm",
        *peers,
    ]
    lines = [" | ".join(header)]
    print(lines[0])
    for z in ZOOMS:
        tile = tms.tile(*CENTRE, z)
        options = TileOptions(layer_name="buildings")
        store_once = _store_timer(store, layer, tile, options)
        floor = floor_ms(cluster, tile, runs)
        ours = median_ms(store_once, runs)
        tileset = f"{node_url}/collections/buildings/tiles/WebMercatorQuad"
        url = f"{tileset}/{z}/{tile.y}/{tile.x}"
        cold = http_ms(
            session, url, runs, lambda: shutil.rmtree(cache, ignore_errors=True)
        )
        warm = http_ms(session, url, max(runs, 20))
        count = psql(
            cluster,
            "SELECT count(*) FROM buildings WHERE geom && "
            f"ST_Transform(ST_TileEnvelope({z},{tile.x},{tile.y}), 4326)",
        ).strip()
        row = [
            f"z{z}",
            count,
            f"{floor:.1f} ms",
            f"{ours:.1f} ms",
            f"{ours / floor:.2f}x",
            _ms(cold),
            _ms(warm),
        ]
        for template in peers.values():
            peer = http_ms(session, template.format(z=z, x=tile.x, y=tile.y), runs)
            if peer is None:  # the abandoned query would slow every later figure
                psql(cluster, CANCEL_SQL)
            row.append(
                _ms(peer) + (f" ({peer / cold:.1f}x ours)" if peer and cold else "")
            )
        lines.append(" | ".join(row))
        print(lines[-1], flush=True)
    return lines


def _store_timer(
    store: Any, layer: Any, tile: morecantile.Tile, options: Any
) -> Callable[[], float]:
    """Return a function timing one uncached tile from the store itself."""

    def once() -> float:
        started = time.perf_counter()
        store.tile(layer, "WebMercatorQuad", tile.z, tile.x, tile.y, options)
        return time.perf_counter() - started

    return once


def _ms(value: float | None) -> str:
    """Format milliseconds, or 'timeout'."""
    return "timeout" if value is None else f"{value:.1f} ms"


if __name__ == "__main__":
    main()
