"""Reading layers from a PostgreSQL/PostGIS store.

The registry names the table serving each layer now; a query that finds its
table swapped away by a publish reads the registry again and runs once more.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from simpul.tiles import TileOptions

from .base import STORAGE_SRID, Layer, LayerNotFound, Matched, Query, Row, Store
from .postgis_count import MatchCounter
from .postgis_dialect import PostGISDialect
from .postgis_pool import Database, MissingTable, PoolSettings
from .postgis_schema import REGISTRY, REGISTRY_ROW, describe
from .postgis_tiles import postgis_tile
from .sql import GEOMETRY, SelectBuilder

Statement = tuple[str, list[Any], list[str]]


class PostGISStore(Store):
    """Read access to the layers published in one PostgreSQL database."""

    dialect = PostGISDialect()

    def __init__(self, url: str, settings: PoolSettings | None = None) -> None:
        self.url = url
        self.db = Database(url, settings)
        self.counter = MatchCounter(self.db)
        self._layers: dict[str, Layer] = {}

    def layers(self) -> list[Layer]:
        try:
            rows = self.db.rows(f"SELECT name FROM {REGISTRY} ORDER BY name")
        except MissingTable:
            return []
        return [self.layer(name) for (name,) in rows]

    def layer(self, name: str) -> Layer:
        try:
            found = self.db.rows(REGISTRY_ROW, [name])
        except MissingTable as err:
            raise LayerNotFound(name) from err
        if not found:
            raise LayerNotFound(name)
        cached = self._layers.get(name)
        if cached is not None and cached.version == found[0][1]:
            return cached
        layer = describe(self.db.rows, name, found[0])
        self._layers[name] = layer
        return layer

    def count(self, layer: Layer, query: Query) -> int:
        return self.matched(layer, query).count

    def matched(self, layer: Layer, query: Query) -> Matched:
        def run(current: Layer) -> Matched:
            where, params = SelectBuilder(current, self.dialect, query).where()
            return self.counter.matched(current, where, params)

        return self._on_current(layer, run)

    def features(self, layer: Layer, query: Query) -> Iterator[Row]:
        yield from self._rows(
            layer, lambda current: SelectBuilder(current, self.dialect, query).select()
        )

    def feature(self, layer: Layer, identifier: str) -> Row | None:
        try:
            fid = int(identifier)
        except ValueError:
            return None
        rows = self._rows(
            layer,
            lambda current: SelectBuilder(current, self.dialect, Query()).by_id(fid),
        )
        return next(iter(rows), None)

    def envelope_rows(
        self, layer: Layer, bbox: Sequence[float], columns: Sequence[str]
    ) -> Iterator[Row]:
        def statement(current: Layer) -> Statement:
            query = Query(select=list(columns), limit=-1)
            geom = self.dialect.ident(current.geometry_column or "geom")
            envelope = f"ST_MakeEnvelope(%s, %s, %s, %s, {STORAGE_SRID})"
            return SelectBuilder(current, self.dialect, query).select(
                extra=(f"{geom} && {envelope}", [float(v) for v in bbox[:4]]),
                ordered=False,
            )

        yield from self._rows(layer, statement)

    def tile(
        self,
        layer: Layer,
        tms_id: str,
        z: int,
        x: int,
        y: int,
        options: TileOptions,
    ) -> bytes | None:
        return self._on_current(
            layer,
            lambda current: postgis_tile(self.db, current, tms_id, z, x, y, options),
        )

    def _rows(self, layer: Layer, statement: Callable[[Layer], Statement]) -> list[Row]:
        def run(current: Layer) -> list[Row]:
            sql, params, columns = statement(current)
            records = self.db.rows(sql, params, binary=True)
            return _to_rows(records, columns)

        return self._on_current(layer, run)

    def _on_current[T](self, layer: Layer, run: Callable[[Layer], T]) -> T:
        """Run against *layer*, or once more against its newer table if swapped."""
        try:
            return run(layer)
        except MissingTable:
            current = self.layer(layer.name)
            if current.table == layer.table:
                raise
            return run(current)


def _to_rows(records: list[tuple], columns: list[str]) -> list[Row]:
    """Return Rows from the records of a SelectBuilder statement."""
    has_geom = len(columns) > 1 and columns[1] == GEOMETRY
    start = 2 if has_geom else 1
    names = columns[start:]
    return [
        Row(
            rec[0],
            dict(zip(names, rec[start:], strict=True)),
            rec[1] if has_geom else None,
        )
        for rec in records
    ]
