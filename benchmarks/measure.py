"""Sequential measurements: items pages, tiles, a full OAPIF harvest, floors."""

from __future__ import annotations

import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import morecantile
import psycopg
import requests

from simpul.store.postgis_tiles import tile_params, tile_statement
from simpul.tiles import TileOptions

MERCATOR = morecantile.tms.get("WebMercatorQuad")
#: Centre of the densest part of the buildings layer (Banjarbaru's centre).
CENTRE = (114.8205, -3.4430)
#: Seconds of tile requests per zoom level and server, at most.
TILE_BUDGET = 30


def bboxes(count: int = 64, half: float = 0.005) -> list[tuple[float, ...]]:
    """Return *count* boxes on a grid over the city, each about 1 km across."""
    boxes = []
    for i in range(count):
        cx = 114.74 + (i % 8) * 0.02
        cy = -3.52 + (i // 8) * 0.02
        boxes.append((cx - half, cy - half, cx + half, cy + half))
    return boxes


def tiles(
    z: int, count: int, within: Sequence[float] | None = None
) -> list[tuple[int, int, int]]:
    """Return up to *count* distinct tiles of zoom *z* spiralling out from the centre.

    With *within* (a lon/lat box), only tiles meeting the box are returned: a
    tile outside a tileset's limits is a 404, which would count as an error.
    """
    centre = MERCATOR.tile(*CENTRE, z)
    limit = MERCATOR.minmax(z)["x"]["max"] + 1 if within is None else None
    area = None
    if within is not None:
        first = MERCATOR.tile(within[0], within[3], z)
        last = MERCATOR.tile(within[2], within[1], z)
        area = (first.x, first.y, last.x, last.y)
        limit = max(last.x - first.x, last.y - first.y) + 1
    found, ring = [], 0
    while len(found) < count and ring <= limit:
        for dx in range(-ring, ring + 1):
            for dy in range(-ring, ring + 1):
                x, y = centre.x + dx, centre.y + dy
                if max(abs(dx), abs(dy)) != ring:
                    continue
                if area and not (area[0] <= x <= area[2] and area[1] <= y <= area[3]):
                    continue
                found.append((z, x, y))
        ring += 1
    return found[:count]


def timed(get: Callable[[], object]) -> float:
    """Return the milliseconds *get* takes."""
    started = time.perf_counter()
    get()
    return (time.perf_counter() - started) * 1000


def fetch(session: requests.Session, url: str) -> requests.Response:
    """GET *url*, failing on an error status."""
    response = session.get(url, timeout=300)
    if response.status_code >= 400:
        raise RuntimeError(f"{url}: {response.status_code} {response.text[:200]}")
    return response


def median_ms(session: requests.Session, urls: Sequence[str]) -> float:
    """Return the median milliseconds of one GET of each URL."""
    fetch(session, urls[0])  # connect, and load what a first request loads
    return statistics.median(timed(lambda u=u: fetch(session, u)) for u in urls)


def items_suite(base: str, collection: str) -> dict[str, float]:
    """Return median milliseconds of the items requests a client makes."""
    items = f"{base}{collection}/items"
    boxes = [",".join(f"{v:.4f}" for v in b) for b in bboxes(24)]
    with requests.Session() as session:
        return {
            "items first page (100)": median_ms(session, [f"{items}?limit=100"] * 9),
            "items bbox page (100)": median_ms(
                session, [f"{items}?limit=100&bbox={b}" for b in boxes]
            ),
            "items deep page (offset 100000)": median_ms(
                session, [f"{items}?limit=100&offset={100000 + i}" for i in range(5)]
            ),
        }


def tile_suite(base: str, path: Callable[[int, int, int], str]) -> dict[str, float]:
    """Return median milliseconds of distinct tiles at z12, z14 and z16.

    A server that needs more than TILE_BUDGET seconds for a zoom level is timed
    on the tiles it served by then.
    """
    result = {}
    with requests.Session() as session:
        for z in (12, 14, 16):
            times: list[float] = []
            for tile in tiles(z, 9):
                times.append(timed(lambda t=tile: fetch(session, base + path(*t))))
                if sum(times) > TILE_BUDGET * 1000:
                    break
            result[f"tile z{z}"] = statistics.median(times)
    return result


def harvest(oapif: str, out: Path) -> float:
    """Return the seconds ogr2ogr takes to copy a whole collection over OAPIF."""
    out.unlink(missing_ok=True)
    command = ["ogr2ogr", "-f", "GPKG", str(out), f"OAPIF:{oapif}"]
    command += ["-oo", "PAGE_SIZE=1000", "-nln", "copy"]
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, timeout=3600)
    return time.perf_counter() - started


def copy_floor(dsn: str, table: str, out: Path) -> float:
    """Return the seconds ogr2ogr takes to copy the table straight out of PostGIS."""
    out.unlink(missing_ok=True)
    command = ["ogr2ogr", "-f", "GPKG", str(out), f"PG:{dsn}", table, "-nln", "copy"]
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, timeout=3600)
    return time.perf_counter() - started


def feature_count(path: Path) -> int:
    """Return how many features a harvested GeoPackage holds."""
    import pyogrio

    return int(pyogrio.read_info(str(path), layer="copy")["features"])


PAGE_SQL = """
SELECT json_build_object('type', 'FeatureCollection', 'features',
       coalesce(json_agg(ST_AsGeoJSON(p.*, 'geom', 7)::json), '[]'::json))
FROM (SELECT * FROM "{table}" WHERE ST_Intersects(geom,
      ST_MakeEnvelope(%s, %s, %s, %s, 4326)) ORDER BY fid LIMIT 100) AS p
"""


def database_floor(url: str, table: str, layer: object) -> dict[str, float]:
    """Return median milliseconds of the database alone making pages and tiles."""
    with psycopg.connect(url, autocommit=True) as conn:
        page = PAGE_SQL.format(table=table)
        conn.execute(page, bboxes(1)[0]).fetchall()
        result = {
            "items bbox page (100)": statistics.median(
                timed(lambda b=b: conn.execute(page, b).fetchall()) for b in bboxes(24)
            )
        }
        statement = tile_statement(layer, "WebMercatorQuad", TileOptions())
        for z in (12, 14, 16):
            times = [
                timed(
                    lambda t=t: conn.execute(
                        statement,
                        tile_params("WebMercatorQuad", *t, TileOptions()),
                        binary=True,  # as the node fetches tiles: no hex text
                    ).fetchall()
                )
                for t in tiles(z, 9)
            ]
            result[f"tile z{z}"] = statistics.median(times)
            plain = [
                timed(
                    lambda t=t: conn.execute(
                        plain_tile_sql(layer, *t), binary=True
                    ).fetchall()
                )
                for t in tiles(z, 9)
            ]
            result[f"tile z{z}, plain ST_AsMVT"] = statistics.median(plain)
    return result


def plain_tile_sql(layer: Any, z: int, x: int, y: int) -> str:
    """Return the plainest one-statement tile of *layer*: every attribute, no
    generalisation, no small-polygon filter (the floor the tile targets name)."""
    columns = ", ".join(f't."{f.name}"' for f in layer.fields)
    return (
        f"WITH b AS (SELECT ST_TileEnvelope({z}, {x}, {y}) AS e), "
        "mvt AS (SELECT ST_AsMVTGeom(ST_Transform(t.geom, 3857), b.e, 4096, 64, true)"
        f' AS geom, t.fid, {columns} FROM "{layer.table}" t, b'
        " WHERE t.geom && ST_Transform(b.e, 4326)) "
        "SELECT ST_AsMVT(mvt.*, 'default', 4096, 'geom', 'fid') FROM mvt"
    )
