"""The features result: a JSON document and the table printed from it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from . import floors, machine
from .measure import Measured
from .report import duration, ratio, table

HEADERS = [
    "case",
    "ours",
    "floor",
    "ours/floor",
    "floor2",
    "ours/floor2",
    "vanilla",
    "vanilla/ours",
]
LEGEND = """\
times are medians of the timed runs (min in the JSON); HTTP over one keep-alive
connection, the body read in full; our node and vanilla with one uvicorn worker.
floor  (pages, item): the same rows fetched with Python's sqlite3 module, raw
       tuples, no geometry decoding, no GeoJSON (keyset for the deep page,
       R-tree envelope test for the bbox page).
floor2 (pages, item): the same rows read by GDAL (pyogrio) and written as a
       GeoJSON FeatureCollection in memory.
floor  (harvest): ogr2ogr -f GeoJSON out.geojson store.gpkg <table>.
floor2 (harvest): ogr2ogr -f GPKG out.gpkg store.gpkg <table>.
harvest: ogr2ogr -f GPKG out.gpkg OAPIF:<url>/collections/buildings
       -oo PAGE_SIZE=1000, checked to return every feature."""


STAGES_NOTE = """\
where our time goes, in ms: each in-process stage includes the ones above it and
is timed in CPU time, which the machine's other load barely inflates; then the
HTTP request (wall), the server's own CPU per request (from /proc) and two tiny
requests (wall) for the fixed cost of Starlette and of pygeoapi:"""


def document(
    start: dict[str, Any],
    setup: dict[str, Any],
    rows: list[Measured],
    stages: dict[str, dict[str, float]],
) -> dict[str, Any]:
    """Return the JSON result document of one run."""
    return {
        "suite": "features",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": start,
        "versions": machine.packages("pygeoapi", "uvicorn", "starlette", "shapely")
        | {"gdal": floors.gdal_version()},
        "setup": setup,
        "rows": [_row(r) for r in rows],
        "targets": targets(rows),
        "stages_ms": {
            case: {k: round(v, 2) for k, v in times.items()}
            for case, times in stages.items()
        },
    }


def _row(row: Measured) -> dict[str, Any]:
    """Return one measured row as JSON-ready values."""
    out: dict[str, Any] = {"case": row.case}
    for name in ("ours", "floor", "floor2", "vanilla"):
        timing = getattr(row, name)
        out[name] = timing.as_dict() if timing else None
    if row.vanilla_note:
        out["vanilla_note"] = row.vanilla_note
    return out | row.notes


def targets(rows: list[Measured]) -> list[str]:
    """Return one sentence per target: the ratio reached and whether it is met."""
    lines = []
    for row in rows:
        if row.ours is None or row.floor is None:
            continue
        if row.case.startswith("harvest"):
            ours, floor = row.ours.median, row.floor.median
            lines.append(_target(row.case, ours, floor, 2.0, "floor"))
        elif row.case.startswith("page"):
            for name in ("floor", "floor2"):
                floor = getattr(row, name).median
                lines.append(_target(row.case, row.ours.median, floor, 1.5, name))
    return lines


def _target(case: str, ours: float, floor: float, limit: float, name: str) -> str:
    """Return a sentence on one target."""
    verdict = "met" if ours <= limit * floor else "missed"
    return f"{case}: {ours / floor:.2f}x {name} (target {limit}x) - {verdict}"


def render(doc: dict[str, Any]) -> str:
    """Return the printed report of a result document."""
    rows = []
    for r in doc["rows"]:
        ours, floor, floor2, peer = (
            (r[k] or {}).get("median_ms")
            for k in ("ours", "floor", "floor2", "vanilla")
        )
        missing = r.get("vanilla_note", "-")
        rows.append(
            [
                r["case"],
                duration(ours),
                duration(floor),
                ratio(ours, floor),
                duration(floor2),
                ratio(ours, floor2),
                duration(peer, missing),
                ratio(peer, ours),
            ]
        )
    m, s = doc["machine"], doc["setup"]
    peers = ", ".join(f"{k} {v}" for k, v in s["vanilla"].items()) or "skipped"
    head = [
        f"machine: {m['nproc']} CPUs, {m['cpu']}, {m['memory_gb']} GB, "
        f"load {m['loadavg_at_start']} at start; Python {m['python']}, "
        f"SQLite {m['sqlite']}, commit {m['commit']}",
        f"ours: {', '.join(f'{k} {v}' for k, v in doc['versions'].items())}",
        f"vanilla: {peers}",
        f"workload: {s['count']} buildings (seed {s['seed']}); "
        f"publish {s['publish_s']} s; bbox {s['bbox']}",
        "",
    ]
    tail = ["", LEGEND, "", "targets:", *(f"  {t}" for t in doc["targets"])]
    harvest = doc["rows"][-1].get("harvester_work")
    if harvest:
        tail.append(
            f"  harvester's own work (ogr2ogr GeoJSON file to GPKG, no server): "
            f"{duration(harvest['median_ms'])}"
        )
    tail += ["", STAGES_NOTE, _stages(doc["stages_ms"])]
    return "\n".join(head + [table(HEADERS, rows)] + tail)


def _stages(stages: dict[str, dict[str, float]]) -> str:
    """Return the stage timings as a table, one column per case."""
    cases = list(stages)
    names = list(dict.fromkeys(k for times in stages.values() for k in times))
    rows = [[n, *(duration(stages[c].get(n)) for c in cases)] for n in names]
    return table(["stage", *cases], rows)
