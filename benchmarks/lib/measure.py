"""Measure the features cases on our node, on the floors and on vanilla."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import floors, harvest
from .cases import COLLECTION, Case
from .timing import Client, Timing, measure


@dataclass
class Measured:
    """One row of the result: ours, two floors and vanilla."""

    case: str
    ours: Timing | None = None
    floor: Timing | None = None
    floor2: Timing | None = None
    vanilla: Timing | None = None
    vanilla_note: str | None = None
    notes: dict[str, Any] = field(default_factory=dict)


def measure_cases(
    todo: list[Case], table: floors.Table, ours: str, peer: str | None, repeat: int
) -> list[Measured]:
    """Time every case over HTTP on both servers and on both floors."""
    sqlite = floors.SqliteFloor(table)
    rows = []
    for case in todo:
        row = Measured(case.name, notes={"path": case.path, "floor_sql": case.sql})
        row.ours = _http(ours, case, repeat)
        row.floor = measure(functools.partial(sqlite.rows, case.sql), repeat)
        gdal = functools.partial(floors.gdal_geojson, table, case.sql)
        row.floor2 = measure(gdal, repeat)
        if peer is not None:
            try:
                row.vanilla = _http(peer, case, repeat)
            except RuntimeError as err:
                row.vanilla_note = str(err)[:200]
        rows.append(row)
        print(f"  {case.name}: done", flush=True)
    return rows


def _http(base_url: str, case: Case, repeat: int) -> Timing:
    """Check the answer of *case* once, then time it."""
    client = Client(base_url)
    try:
        case.check(client.get(case.path))
        return measure(functools.partial(client.get, case.path), repeat)
    finally:
        client.close()


def measure_harvests(
    table: floors.Table,
    count: int,
    servers: tuple[str, str | None],
    repeat: int,
    timeout: float,
    work: Path,
) -> Measured:
    """Time full harvests of both servers and the two direct ogr2ogr copies."""
    row = Measured(f"harvest {count} (ogr2ogr OAPIF)")
    row.ours, row.notes["ours_features"] = _harvests(servers[0], count, repeat, work)
    geojson = functools.partial(floors.ogr2ogr_copy, table, "GeoJSON", "geojson")
    row.floor = measure(geojson, repeat, warmup=1)
    gpkg = functools.partial(floors.ogr2ogr_copy, table, "GPKG", "gpkg")
    row.floor2 = measure(gpkg, repeat, warmup=0)
    client = Timing.of(floors.harvester_work(table, repeat))
    row.notes["harvester_work"] = client.as_dict()
    if servers[1] is not None:
        done = harvest.oapif(servers[1], COLLECTION, timeout, work)
        row.notes["vanilla_features"] = done.features
        if done.seconds is not None and done.features == count:
            row.vanilla = Timing.of([done.seconds * 1000])
        else:
            row.vanilla_note = done.error or f"{done.features} features"
    return row


def _harvests(
    base_url: str, count: int, repeat: int, work: Path
) -> tuple[Timing, int | None]:
    """Harvest *repeat* times; raise unless every harvest returns *count*."""
    samples = []
    for _ in range(repeat):
        done = harvest.oapif(base_url, COLLECTION, 3600, work)
        if done.seconds is None or done.features != count:
            raise RuntimeError(f"our harvest: {done.error or done.features} features")
        samples.append(done.seconds * 1000)
    return Timing.of(samples), count
