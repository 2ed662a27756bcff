"""Reading layers from the embedded GeoPackage store with plain SQLite.

No SQLite extension is loaded: bounding boxes go through the GeoPackage R-tree
index and exact spatial tests run in shapely, inside SQL as a Python function.
"""

from __future__ import annotations

import functools
import logging
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import shapely

from simpul.tiles import TileOptions

from . import geometry as gpb
from .base import (
    Field,
    FieldType,
    Layer,
    LayerChanged,
    LayerNotFound,
    Query,
    Row,
    Store,
    StoreError,
)
from .cql import Dialect
from .gpkg_tiles import gpkg_tile
from .sql import SelectBuilder

LOGGER = logging.getLogger(__name__)

REGISTRY = "simpul_layers"

#: GeoPackage column types (upper case, length suffix removed) to field types.
TYPES = {
    "INTEGER": FieldType.INTEGER,
    "INT": FieldType.INTEGER,
    "MEDIUMINT": FieldType.INTEGER,
    "SMALLINT": FieldType.INTEGER,
    "TINYINT": FieldType.INTEGER,
    "REAL": FieldType.NUMBER,
    "DOUBLE": FieldType.NUMBER,
    "FLOAT": FieldType.NUMBER,
    "TEXT": FieldType.STRING,
    "BOOLEAN": FieldType.BOOLEAN,
    "DATE": FieldType.DATE,
    "DATETIME": FieldType.DATETIME,
    "BLOB": FieldType.BINARY,
}


@functools.lru_cache(maxsize=64)
def _prepared(wkb: bytes) -> tuple[Any, tuple[float, ...] | None]:
    """Return a prepared query geometry, and its bounds when it is a rectangle."""
    geom = shapely.from_wkb(wkb)
    shapely.prepare(geom)
    minx, miny, maxx, maxy = geom.bounds
    is_box = geom.geom_type == "Polygon" and shapely.equals(
        geom, shapely.box(minx, miny, maxx, maxy)
    )
    return geom, (minx, miny, maxx, maxy) if is_box else None


def _relate(relation: str, blob: bytes | None, query_wkb: bytes) -> int:
    """SQL function: does the feature stand in *relation* to the query geometry?"""
    if blob is None:
        return 1 if relation == "disjoint" else 0
    query, box = _prepared(query_wkb)
    if box is not None and relation == "intersects":
        env = gpb.envelope(blob)
        if env is not None:
            if (
                env[0] >= box[0]
                and env[2] <= box[2]
                and env[1] >= box[1]
                and env[3] <= box[3]
            ):
                return 1
            if env[0] > box[2] or env[2] < box[0] or env[1] > box[3] or env[3] < box[1]:
                return 0
    wkb = gpb.to_wkb(blob)
    if wkb is None:
        return 1 if relation == "disjoint" else 0
    feature = shapely.from_wkb(wkb)
    # Prepared predicates take the prepared geometry first: turn the relation round.
    turned = {"contains": "within", "within": "contains"}.get(relation, relation)
    return int(getattr(shapely, turned)(query, feature))


class GeoPackageDialect(Dialect):
    """SQLite spelling, with spatial tests through the R-tree and shapely."""

    def spatial(self, layer: Layer, relation: str, geom: Any) -> tuple[str, list]:
        col = self.ident(layer.geometry_column or "geom")
        exact = f"simpul_relate(?, {col}, ?)"
        params: list[Any] = [relation, shapely.to_wkb(geom)]
        if relation == "disjoint":
            return exact, params
        rtree = self.ident(f"rtree_{layer.table}_{layer.geometry_column}")
        minx, miny, maxx, maxy = geom.bounds
        pre = (
            f"{self.ident(layer.pk)} IN (SELECT id FROM {rtree} WHERE "
            "minx <= ? AND maxx >= ? AND miny <= ? AND maxy >= ?)"
        )
        return f"({pre} AND {exact})", [maxx, minx, maxy, miny, *params]

    def instant(self, sql: str, field_type: FieldType) -> str:
        if field_type is FieldType.DATE:
            return f"date({sql})"
        return f"julianday({sql})"


class GeoPackageStore(Store):
    """Read access to one GeoPackage file of published layers."""

    dialect = GeoPackageDialect()

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []
        self._opened_lock = threading.Lock()
        self._layers: dict[str, Layer] = {}
        self._counts: dict[tuple, int] = {}

    def connection(self) -> sqlite3.Connection:
        """Return this thread's read-only connection."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            if not self.path.exists():
                raise StoreError(f"the store {self.path} does not exist")
            conn = sqlite3.connect(
                f"file:{self.path}?mode=ro", uri=True, check_same_thread=False
            )
            conn.execute("PRAGMA case_sensitive_like = ON")
            conn.create_function("simpul_relate", 3, _relate, deterministic=True)
            self._local.conn = conn
            with self._opened_lock:
                self._opened.append(conn)
        return conn

    def close(self) -> None:
        """Close every connection this store opened, in any thread."""
        with self._opened_lock:
            opened, self._opened = self._opened, []
        for conn in opened:
            conn.close()
        self._local = threading.local()

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        LOGGER.debug("SQL %s %s", sql, params)
        try:
            return self.connection().execute(sql, params)
        except sqlite3.OperationalError as err:
            if "no such table" in str(err):
                raise LayerChanged(str(err)) from err
            raise StoreError(f"the store could not answer: {err}") from err

    def layers(self) -> list[Layer]:
        try:
            names = [r[0] for r in self._execute(f"SELECT name FROM {REGISTRY}")]
        except StoreError:
            return []
        return [self.layer(n) for n in sorted(names)]

    def layer(self, name: str) -> Layer:
        row = self._execute(
            f"SELECT table_name, version, geometry_type, feature_count, "
            f"min_x, min_y, max_x, max_y, dense_ids FROM {REGISTRY} WHERE name = ?",
            (name,),
        ).fetchone()
        if row is None:
            raise LayerNotFound(name)
        cached = self._layers.get(name)
        if cached is not None and cached.version == row[1]:
            return cached
        layer = self._describe(name, row)
        self._layers[name] = layer
        return layer

    def _describe(self, name: str, row: tuple) -> Layer:
        table, version, geometry_type, count = row[:4]
        geom = self._execute(
            "SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?",
            (table,),
        ).fetchone()
        pk, fields = "fid", []
        for _, col, decl, _, _, is_pk in self._execute(
            "SELECT * FROM pragma_table_info(?)", (table,)
        ):
            if is_pk:
                pk = col
            elif geom is None or col != geom[0]:
                base = (decl or "TEXT").upper().split("(")[0].strip()
                fields.append(Field(col, TYPES.get(base, FieldType.STRING)))
        extent = tuple(row[4:8]) if row[4] is not None else None
        return Layer(
            name=name,
            table=table,
            pk=pk,
            geometry_column=geom[0] if geom else None,
            geometry_type=geometry_type,
            fields=tuple(fields),
            extent=extent,
            count=count,
            version=version,
            dense_ids=bool(row[8]),
        )

    def count(self, layer: Layer, query: Query) -> int:
        builder = SelectBuilder(layer, self.dialect, query)
        where, params = builder.where()
        if not where:
            return layer.count
        key = (layer.table, where, tuple(params))
        if key not in self._counts:
            if len(self._counts) > 512:
                self._counts.clear()
            sql = (
                f"SELECT count(*) FROM {self.dialect.ident(layer.table)} WHERE {where}"
            )
            self._counts[key] = self._execute(sql, params).fetchone()[0]
        return self._counts[key]

    def features(self, layer: Layer, query: Query) -> Iterator[Row]:
        sql, params, columns = SelectBuilder(layer, self.dialect, query).select()
        yield from self._rows(layer, self._execute(sql, params), columns)

    def feature(self, layer: Layer, identifier: str) -> Row | None:
        try:
            fid = int(identifier)
        except ValueError:
            return None
        sql, params, columns = SelectBuilder(layer, self.dialect, Query()).by_id(fid)
        return next(self._rows(layer, self._execute(sql, params), columns), None)

    def envelope_rows(
        self, layer: Layer, bbox: Sequence[float], columns: Sequence[str]
    ) -> Iterator[Row]:
        query = Query(bbox=None, select=list(columns), limit=-1)
        builder = SelectBuilder(layer, self.dialect, query)
        rtree = self.dialect.ident(f"rtree_{layer.table}_{layer.geometry_column}")
        sql, params, cols = builder.select(
            extra=(
                f"{self.dialect.ident(layer.pk)} IN (SELECT id FROM {rtree} "
                "WHERE minx <= ? AND maxx >= ? AND miny <= ? AND maxy >= ?)",
                [bbox[2], bbox[0], bbox[3], bbox[1]],
            ),
            ordered=False,
        )
        yield from self._rows(layer, self._execute(sql, params), cols)

    def tile(
        self,
        layer: Layer,
        tms_id: str,
        z: int,
        x: int,
        y: int,
        options: TileOptions,
    ) -> bytes | None:
        return gpkg_tile(self, layer, tms_id, z, x, y, options)

    def _rows(
        self, layer: Layer, cursor: sqlite3.Cursor, columns: list[str]
    ) -> Iterator[Row]:
        has_geom = columns[1] == "\0geometry"
        names = columns[2:] if has_geom else columns[1:]
        start = 2 if has_geom else 1
        for rec in cursor:
            props = dict(zip(names, rec[start:], strict=True))
            wkb = gpb.to_wkb(rec[1]) if has_geom else None
            yield Row(rec[0], props, wkb)
