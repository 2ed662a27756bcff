"""Features suite: pages, one item and a full harvest, beside floors and vanilla.

Our node and vanilla pygeoapi serve the same generated buildings; each request
is also timed as the same read straight from the GeoPackage store.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import tempfile
from pathlib import Path
from typing import Any

from .lib import cases, floors, machine, node, vanilla, workload
from .lib.breakdown import SERVER_CPU, breakdown, overhead, server_cpu
from .lib.measure import measure_cases, measure_harvests
from .lib.paths import WORK
from .lib.render import document, render
from .lib.report import write_json
from .lib.server import free_port


def parse(argv: list[str]) -> argparse.Namespace:
    """Return the suite's options."""
    parser = argparse.ArgumentParser(prog="scripts/bench features")
    parser.add_argument("--count", type=int, default=150_000)
    parser.add_argument("--seed", type=int, default=6372)
    parser.add_argument("--repeat", type=int, default=10, help="timed runs per request")
    parser.add_argument("--harvest-repeat", type=int, default=3)
    parser.add_argument("--harvest-timeout", type=float, default=900.0)
    parser.add_argument("--no-vanilla", action="store_true", help="skip pygeoapi")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    """Run the features suite; print the table and write the JSON result."""
    args = parse(argv)
    source = workload.buildings(args.count, args.seed)
    folder = Path(tempfile.mkdtemp(prefix="features-", dir=WORK))
    try:
        with contextlib.ExitStack() as stack:
            result = _run(args, source, folder, stack)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    print(render(result))
    print(f"\nwritten to {write_json('features', result)}")
    return 0


def _run(
    args: argparse.Namespace, source: Path, folder: Path, stack: contextlib.ExitStack
) -> dict[str, Any]:
    """Publish, serve, measure; return the result document."""
    start_machine = machine.describe()
    print("publishing into a fresh store ...", flush=True)
    ours = node.publish(folder / "node", source, cases.COLLECTION)
    table = floors.table_of(ours.store, cases.COLLECTION)
    bbox = cases.centre_bbox(half=0.01)
    server = node.serve(ours)
    stack.callback(server.stop)
    peer, versions = None, {}
    if not args.no_vanilla:
        peer, versions = _vanilla(folder, ours.store, table, stack)
    print("measuring requests ...", flush=True)
    todo = cases.cases(table, args.count, bbox)
    rows = measure_cases(todo, table, server.url, peer, args.repeat)
    print("timing the stages of our node ...", flush=True)
    pid = server.process.pid
    stages = {
        c.name: breakdown(ours.config, table, c, server.url, args.repeat)
        | {SERVER_CPU: server_cpu(pid, server.url, c.path, args.repeat * 3)}
        for c in todo[:3]
    }
    stages["fixed costs"] = overhead(server.url, args.repeat)
    print("measuring harvests ...", flush=True)
    repeat, timeout = args.harvest_repeat, args.harvest_timeout
    servers = (server.url, peer)
    rows.append(measure_harvests(table, args.count, servers, repeat, timeout, folder))
    setup = {"count": args.count, "seed": args.seed, "bbox": bbox}
    setup |= {"publish_s": round(ours.publish_seconds, 2), "vanilla": versions}
    return document(start_machine, setup, rows, stages)


def _vanilla(
    folder: Path, store: Path, table: floors.Table, stack: contextlib.ExitStack
) -> tuple[str, dict[str, Any]]:
    """Start vanilla pygeoapi on a PostGIS copy of *table*; return URL, versions."""
    python = vanilla.venv()
    print("loading PostGIS for vanilla pygeoapi ...", flush=True)
    cluster = vanilla.load_postgis(store, table.name, cases.COLLECTION)
    stack.callback(cluster.remove)
    port = free_port()
    name = cases.COLLECTION
    peer = vanilla.configure(folder / "vanilla", python, cluster, name, port)
    server = vanilla.serve(peer, port)
    stack.callback(server.stop)
    versions = vanilla.versions(python) | {"provider": vanilla.PROVIDER}
    versions["database"] = vanilla.postgis_version(cluster)
    return server.url, versions
