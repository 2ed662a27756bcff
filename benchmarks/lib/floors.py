"""Floors: the same reads straight from the GeoPackage, without a server."""

from __future__ import annotations

import io
import sqlite3
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pyogrio
from pyogrio import raw


@dataclass(frozen=True)
class Table:
    """A published layer's table in a GeoPackage store."""

    store: Path
    name: str
    pk: str
    geometry: str

    @property
    def rtree(self) -> str:
        """The name of the table's R-tree index."""
        return f"rtree_{self.name}_{self.geometry}"


def table_of(store: Path, layer: str) -> Table:
    """Return the table holding the published *layer* of *store*."""
    with sqlite3.connect(f"file:{store}?mode=ro", uri=True) as conn:
        (name,) = conn.execute(
            "SELECT table_name FROM simpul_layers WHERE name = ?", (layer,)
        ).fetchone()
        (geometry,) = conn.execute(
            "SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?",
            (name,),
        ).fetchone()
        pk = next(r[1] for r in conn.execute(f'PRAGMA table_info("{name}")') if r[5])
    return Table(store, name, pk, geometry)


def page_sql(table: Table, after: int = 0, bbox: tuple | None = None) -> str:
    """Return the SELECT of one page of 1000 rows: keyset past *after*, or a bbox."""
    where = f'"{table.pk}" > {int(after)}'
    if bbox is not None:
        minx, miny, maxx, maxy = (float(v) for v in bbox)
        where = (
            f'"{table.pk}" IN (SELECT id FROM "{table.rtree}" WHERE '
            f"minx <= {maxx} AND maxx >= {minx} AND miny <= {maxy} AND maxy >= {miny})"
        )
    return (
        f'SELECT * FROM "{table.name}" WHERE {where} ORDER BY "{table.pk}" LIMIT 1000'
    )


def id_sql(table: Table, fid: int) -> str:
    """Return the SELECT of one row by primary key."""
    return f'SELECT * FROM "{table.name}" WHERE "{table.pk}" = {int(fid)}'


class SqliteFloor:
    """Rows fetched with the sqlite3 module: no geometry decoding, no GeoJSON."""

    def __init__(self, table: Table) -> None:
        self.conn = sqlite3.connect(f"file:{table.store}?mode=ro", uri=True)

    def rows(self, sql: str) -> int:
        """Fetch every row of *sql*; return how many."""
        return len(self.conn.execute(sql).fetchall())


def gdal_geojson(table: Table, sql: str) -> int:
    """Read the rows of *sql* with GDAL and write them as GeoJSON; return bytes."""
    meta, _, geometry, field_data = raw.read(table.store, sql=sql)
    out = io.BytesIO()
    raw.write(
        out,
        geometry,
        field_data,
        meta["fields"],
        driver="GeoJSON",
        geometry_type=meta["geometry_type"],
        crs=meta["crs"],
        encoding="UTF-8",
    )
    return len(out.getvalue())


def ogr2ogr_copy(table: Table, driver: str, suffix: str) -> None:
    """Copy the whole table with ogr2ogr into a new file of *driver*."""
    with tempfile.TemporaryDirectory(dir=table.store.parent) as folder:
        out = Path(folder) / f"copy.{suffix}"
        command = ["ogr2ogr", "-f", driver, str(out), str(table.store), table.name]
        subprocess.run(command, check=True, capture_output=True)


def harvester_work(table: Table, repeat: int) -> list[float]:
    """Time ogr2ogr turning the table's GeoJSON into a GeoPackage: the client's share.

    A harvest by GDAL's OAPIF driver parses GeoJSON pages and writes a
    GeoPackage; this is that work with no server and no HTTP, in milliseconds.
    """
    with tempfile.TemporaryDirectory(dir=table.store.parent) as folder:
        source = Path(folder) / "all.geojson"
        command = [
            "ogr2ogr",
            "-f",
            "GeoJSON",
            str(source),
            str(table.store),
            table.name,
        ]
        subprocess.run(command, check=True, capture_output=True)
        samples = []
        for i in range(repeat):
            out = Path(folder) / f"client{i}.gpkg"
            started = time.perf_counter()
            command = ["ogr2ogr", "-f", "GPKG", str(out), str(source)]
            subprocess.run(command, check=True, capture_output=True)
            samples.append((time.perf_counter() - started) * 1000)
        return samples


def gdal_version() -> str:
    """Return the GDAL versions of ogr2ogr and of pyogrio's bundled library."""
    out = subprocess.run(["ogr2ogr", "--version"], capture_output=True, text=True)
    return f"{out.stdout.strip()}; pyogrio {pyogrio.__gdal_version_string__}"
