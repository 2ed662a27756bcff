"""Benchmark the node on PostGIS and on GeoPackage, beside tipg, vanilla pygeoapi
and the database alone, all in one run on this machine.

    .venv/bin/python benchmarks/postgis.py [--count 150000] [--seconds 10]

It makes the buildings layer (../shared/bench/make_buildings.py), starts a
throwaway PostgreSQL cluster, publishes the layer with `simpul publish` into
PostGIS and into a GeoPackage, serves it with gunicorn as the Dockerfile does,
runs the same suite against every server and prints one table. Peers live in
virtualenvs under benchmarks/work/ (made on the first run, needs PyPI).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load  # noqa: E402
import measure  # noqa: E402
import report  # noqa: E402
import servers  # noqa: E402

from simpul.store import pgcluster  # noqa: E402
from simpul.store.postgis import PostGISStore  # noqa: E402

NAME = "BANGUNAN_AR_5K"
MAKE_BUILDINGS = servers.REPO.parent / "shared" / "bench" / "make_buildings.py"
PEERS = {
    "tipg": ["tipg", "uvicorn"],
    "pygeoapi": [
        "pygeoapi==0.24.0",
        "psycopg2-binary",
        "SQLAlchemy",
        "GeoAlchemy2",
        "uvicorn",
        "starlette",
    ],
}


def main() -> None:
    """Run the whole benchmark and print its table."""
    args = _arguments()
    servers.WORK.mkdir(parents=True, exist_ok=True)
    data = buildings(args.count)
    cluster = pgcluster.create()
    results: dict[str, dict[str, object]] = {}
    try:
        no_jit(cluster)
        pg_node, published = node_folder(
            "pg-node", data, cluster.url("simpul_publisher")
        )
        results["publish (s)"] = {f"ours-pg {args.workers[-1]}w": published}
        gpkg_node, published = node_folder("gpkg-node", data, None)
        results["publish (s)"][f"ours-gpkg {args.workers[-1]}w"] = published
        store = PostGISStore(cluster.url("simpul_reader"))
        layer = store.layer(NAME)
        store.db.close()
        args.extent = layer.extent
        reader_env = {"SIMPUL_STORE": cluster.url("simpul_reader")}

        for workers in args.workers:
            server = servers.ours(
                f"ours-pg {workers}w", pg_node, reader_env, NAME, workers
            )
            run_suite(server, args, results)
        server = servers.ours(
            f"ours-gpkg {args.workers[-1]}w", gpkg_node, {}, NAME, args.workers[-1]
        )
        run_suite(server, args, results)
        if not args.skip_peers:
            run_peers(cluster, layer.table, args, results)
        run_floor(cluster, layer, args, results)
    finally:
        cluster.remove()
    text = report.table(results, args)
    print(text)
    results_dir = servers.REPO / "benchmarks" / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    out = results_dir / f"{time.strftime('%Y-%m-%d')}-postgis.txt"
    out.write_text(text + "\n", encoding="utf-8")
    print(f"written to {out}")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=150_000)
    parser.add_argument("--seconds", type=int, default=10, help="each load run")
    parser.add_argument("--workers", default="1,2", help="our worker counts to run")
    parser.add_argument("--skip-peers", action="store_true")
    args = parser.parse_args()
    args.workers = [int(w) for w in args.workers.split(",")]
    return args


def buildings(count: int) -> Path:
    """Return the buildings file, made once per count."""
    path = servers.WORK / f"buildings-{count}.geojsonl"
    if not path.exists():
        command = [sys.executable, str(MAKE_BUILDINGS), "--count", str(count)]
        subprocess.run(command + ["--out", str(path)], check=True)
    return path


def node_folder(name: str, data: Path, store: str | None) -> tuple[Path, float]:
    """Make a node folder, publish the buildings into its store; return seconds."""
    folder = servers.WORK / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    config = folder / "pygeoapi-config.yml"
    shutil.copyfile(servers.REPO / "pygeoapi-config.yml", config)
    env = {k: v for k, v in os.environ.items() if k != "SIMPUL_STORE"}
    env |= {"SIMPUL_STORE": store} if store else {}
    env["PYGEOAPI_OPENAPI"] = str(folder / "openapi.yml")
    command = [sys.executable, "-m", "simpul.cli", "publish", str(data)]
    command += ["--name", NAME, "--config", str(config)]
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True)
    seconds = time.perf_counter() - started
    add_tiles(config)
    return folder, seconds


def add_tiles(config: Path) -> None:
    """Serve tiles of the layer beside its features."""
    doc = yaml.safe_load(config.read_text())
    providers = doc["resources"][NAME]["providers"]
    if any(p["type"] == "tile" for p in providers):
        return
    features = providers[0]
    providers.append(
        {
            "type": "tile",
            "name": "simpul_providers.tiles.TileProvider",
            "data": features["data"],
            "table": NAME,
            "options": {"zoom": {"min": 0, "max": 18}},
            "format": {"name": "mvt", "mimetype": "application/vnd.mapbox-vector-tile"},
        }
    )
    config.write_text(yaml.safe_dump(doc, allow_unicode=True))


def run_suite(server: servers.Server, args, results: dict) -> None:
    """Measure one server; stop it afterwards."""
    print(f"measuring {server.name}", file=sys.stderr)
    try:
        server.clear_cache()
        record(results, server.name, measure.items_suite(server.url, server.collection))
        tiles = measure.tile_suite(server.url, server.tile)
        record(results, server.name, tiles)
        out = servers.WORK / f"harvest-{server.name.split()[0]}.gpkg"
        seconds = measure.harvest(server.url + server.collection, out)
        record(results, server.name, {"full OAPIF harvest (s)": seconds})
        record(results, server.name, {"harvested features": measure.feature_count(out)})
        pages = [
            f"{server.collection}/items?limit=100&bbox="
            + ",".join(f"{v:.4f}" for v in b)
            for b in measure.bboxes()
        ]
        loads = {"32 clients: bbox pages": load.wrk(server.url, pages, args.seconds)}
        if tiles["tile z16"] < 10_000:
            load_tiles = measure.tiles(16, 2000, within=args.extent)
            paths = [server.tile(*t) for t in load_tiles]
            loads["32 clients: z16 tiles"] = load.wrk(server.url, paths, args.seconds)
        record(results, server.name, loads)
    finally:
        server.stop()


def run_peers(cluster, table: str, args, results: dict) -> None:
    """Measure tipg and vanilla pygeoapi on the same table."""
    url = peer_role(cluster)
    folder = servers.WORK / "peers"
    folder.mkdir(exist_ok=True)
    tipg = servers.tipg(servers.venv("tipg", PEERS["tipg"]), url, table, folder)
    run_suite(tipg, args, results)
    db = {
        "host": "127.0.0.1",
        "port": cluster.port,
        "dbname": pgcluster.DATABASE,
        "user": "bench_peer",
        "password": cluster.passwords["bench_peer"],
    }
    venv = servers.venv("pygeoapi", PEERS["pygeoapi"])
    run_suite(servers.pygeoapi(venv, db, table, folder), args, results)
    cancel_abandoned(cluster)


def cancel_abandoned(cluster) -> None:
    """Cancel statements a stopped peer left running (vanilla pygeoapi's tiles
    run for minutes after their client gave up), so they slow no later figure."""
    import psycopg

    with psycopg.connect(cluster.admin_url(), autocommit=True) as conn:
        conn.execute(
            "SELECT pg_cancel_backend(pid) FROM pg_stat_activity"
            " WHERE state = 'active' AND pid <> pg_backend_pid()"
        )


def no_jit(cluster) -> None:
    """Turn JIT off for the database, as the node's connections do, for everyone:
    compiling costs short statements more than it saves."""
    import psycopg

    with psycopg.connect(cluster.admin_url(), autocommit=True) as conn:
        conn.execute(f"ALTER DATABASE {pgcluster.DATABASE} SET jit = off")


def peer_role(cluster) -> str:
    """Create a reading role for the peers, which (tipg) need temporary objects."""
    import secrets

    import psycopg
    from psycopg import sql

    password = secrets.token_urlsafe(18)
    with psycopg.connect(cluster.admin_url(), autocommit=True) as conn:
        conn.execute(
            sql.SQL("CREATE ROLE bench_peer LOGIN PASSWORD {}").format(
                sql.Literal(password)
            )
        )
        conn.execute("GRANT TEMPORARY ON DATABASE simpul TO bench_peer")
        conn.execute("GRANT USAGE ON SCHEMA public TO bench_peer")
        conn.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO bench_peer")
    cluster.passwords["bench_peer"] = password
    return cluster.url("bench_peer")


def run_floor(cluster, layer, args, results: dict) -> None:
    """Measure the database alone doing the same work."""
    print("measuring the database floor", file=sys.stderr)
    record(
        results,
        "floor",
        measure.database_floor(cluster.url("simpul_reader"), layer.table, layer),
    )
    dsn = (
        f"host=127.0.0.1 port={cluster.port} dbname={pgcluster.DATABASE} "
        f"user=simpul_reader password={cluster.passwords['simpul_reader']}"
    )
    out = servers.WORK / "harvest-floor.gpkg"
    record(
        results,
        "floor",
        {"full OAPIF harvest (s)": measure.copy_floor(dsn, layer.table, out)},
    )
    record(results, "floor", {"harvested features": measure.feature_count(out)})
    page = one_line(measure.PAGE_SQL.format(table=layer.table)).replace(
        "%s, %s, %s, %s", ":cx - 0.005, :cy - 0.005, :cx + 0.005, :cy + 0.005"
    )
    bbox = load.pgbench(
        cluster, pgcluster.DATABASE, load.BBOX_SCRIPT % page, args.seconds
    )
    record(results, "floor", {"32 clients: bbox pages": bbox})
    results.setdefault("32 clients: z16 tiles", {})["floor"] = tile_floor(
        cluster, layer, args
    )


def tile_floor(cluster, layer, args) -> load.Load:
    """Run our tile statement alone under CLIENTS connections."""
    import psycopg

    from simpul.store.postgis_tiles import tile_params, tile_statement
    from simpul.tiles import TileOptions

    tiles = measure.tiles(16, 2000, within=args.extent)
    # The speck threshold barely changes between neighbouring z16 tiles.
    centre = tile_params("WebMercatorQuad", *tiles[0], TileOptions())
    xs, ys = [t[1] for t in tiles], [t[2] for t in tiles]
    options = TileOptions()
    with psycopg.connect(cluster.url("simpul_reader")) as conn:
        sql = tile_statement(layer, "WebMercatorQuad", options).as_string(conn)
    units = f"(:size / {options.extent})"
    for name, value in {
        "left": ":left",
        "bottom": ":bottom",
        "right": ":right",
        "top": ":top",
        "layer": f"'{options.layer_name}'",
        "extent": str(options.extent),
        "buffer": str(options.buffer),
        "tolerance": f"{options.tolerance} * {units}",
        "pad_x": f"{options.buffer} * {units}",
        "pad_y": f"{options.buffer} * {units}",
        "speck": repr(centre["speck"]),
        "min_area": repr(centre["min_area"]),
    }.items():
        sql = sql.replace(f"%({name})s", value)
    script = load.TILE_SCRIPT % (min(xs), max(xs), min(ys), max(ys), one_line(sql))
    return load.pgbench(cluster, pgcluster.DATABASE, script, args.seconds)


def one_line(sql: str) -> str:
    """Return *sql* without comments on one line, ended, as pgbench reads it."""
    lines = [line for line in sql.splitlines() if not line.lstrip().startswith("--")]
    return " ".join(" ".join(lines).split()) + ";"


def record(results: dict, server: str, values: dict) -> None:
    """Keep *values* of *server* under their metric names."""
    for metric, value in values.items():
        results.setdefault(metric, {})[server] = value


if __name__ == "__main__":
    main()
