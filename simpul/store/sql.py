"""Build the SELECT for a features query, for any SQL store.

Names are checked against the layer's schema before they reach SQL; values are
bound parameters. The spelling of each backend comes from its Dialect.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import shapely

from .base import FieldType, Layer, Query, QueryError
from .cql import TEMPORAL, Compiler, Dialect

GEOMETRY = "\0geometry"


class SelectBuilder:
    """One query against one layer."""

    def __init__(self, layer: Layer, dialect: Dialect, query: Query) -> None:
        self.layer = layer
        self.dialect = dialect
        self.query = query

    def where(self) -> tuple[str, list[Any]]:
        """Return the WHERE condition (empty when none) and its parameters."""
        compiler = Compiler(self.layer, self.dialect)
        parts: list[str] = []
        q = self.query
        if q.bbox:
            # A 3D bbox is minx, miny, minz, maxx, maxy, maxz; the store is 2D.
            planar = q.bbox if len(q.bbox) == 4 else [q.bbox[i] for i in (0, 1, 3, 4)]
            box = shapely.box(*planar)
            sql, params = self.dialect.spatial(self.layer, "intersects", box)
            parts.append(sql)
            compiler.params.extend(params)
        if q.filter is not None:
            parts.append(compiler.compile(q.filter))
        for name, value in q.equals:
            parts.append(self._equals(compiler, name, value))
        if q.datetime and q.time_field:
            parts.append(self._datetime(compiler, q.time_field, q.datetime))
        if q.q:
            parts.append(self._text(compiler, q.q))
        return " AND ".join(parts), compiler.params

    def select(
        self, extra: tuple[str, list] | None = None, ordered: bool = True
    ) -> tuple[str, list[Any], list[str]]:
        """Return the SELECT statement, its parameters and its column names."""
        columns, select = self._columns()
        where, params = self.where()
        if extra is not None:
            where = f"{where} AND {extra[0]}" if where else extra[0]
            params = params + extra[1]
        sql = f"SELECT {', '.join(select)} FROM {self.dialect.ident(self.layer.table)}"
        limit, offset = self.query.limit, self.query.offset
        if offset and ordered and not where and self._keyset():
            # Keys are 1..count: the page after `offset` rows starts past key offset.
            where = f"{self.dialect.ident(self.layer.pk)} > {self.dialect.placeholder}"
            params = [int(offset)]
            offset = 0
        if where:
            sql += f" WHERE {where}"
        if ordered:
            sql += f" ORDER BY {self._order()}"
        if limit is not None and limit >= 0:
            sql += f" LIMIT {int(limit)}"
            if offset:
                sql += f" OFFSET {int(offset)}"
        return sql, params, columns

    def _keyset(self) -> bool:
        """Tell whether an offset can become a key comparison."""
        return self.layer.dense_ids and not self.query.sortby

    def by_id(self, fid: int) -> tuple[str, list[Any], list[str]]:
        """Return the SELECT of one feature by primary key."""
        columns, select = self._columns()
        sql = (
            f"SELECT {', '.join(select)} FROM {self.dialect.ident(self.layer.table)}"
            f" WHERE {self.dialect.ident(self.layer.pk)} = {self.dialect.placeholder}"
        )
        return sql, [fid], columns

    def _columns(self) -> tuple[list[str], list[str]]:
        ident = self.dialect.ident
        names = [f.name for f in self.layer.fields]
        if self.query.select:
            unknown = [n for n in self.query.select if self.layer.field(n) is None]
            if unknown:
                raise QueryError(f"unknown properties: {', '.join(unknown)}")
            names = [n for n in names if n in self.query.select]
        columns, select = ["\0id"], [ident(self.layer.pk)]
        if self.layer.geometry_column and not self.query.skip_geometry:
            columns.append(GEOMETRY)
            select.append(
                self.dialect.select_geometry(ident(self.layer.geometry_column))
            )
        columns += names
        select += [
            self.dialect.select_field(ident(n), self.layer.field(n).type) for n in names
        ]
        return columns, select

    def _order(self) -> str:
        keys = []
        for name, ascending in self.query.sortby:
            if self.layer.field(name) is None and name != self.layer.pk:
                raise QueryError(f"cannot sort by unknown property {name!r}")
            keys.append(f"{self.dialect.ident(name)} {'ASC' if ascending else 'DESC'}")
        keys.append(f"{self.dialect.ident(self.layer.pk)} ASC")
        return ", ".join(keys)

    def _equals(self, compiler: Compiler, name: str, value: Any) -> str:
        field = self.layer.field(name)
        if field is None:
            raise QueryError(f"unknown property {name!r}")
        col = self.dialect.ident(name)
        if field.type in TEMPORAL:
            inst = self.dialect.instant
            literal = inst(compiler.compile_value(value), field.type)
            return f"{inst(col, field.type)} = {literal}"
        return f"{col} = {compiler.compile_value(typed(value, field.type, name))}"

    def _datetime(self, compiler: Compiler, name: str, value: str) -> str:
        field = self.layer.field(name)
        if field is None or field.type not in TEMPORAL:
            raise QueryError(f"the time property {name!r} is not a date or date-time")
        inst = self.dialect.instant
        col = inst(self.dialect.ident(name), field.type)
        start, _, end = value.partition("/")
        if not _:
            end = start
        parts = []
        if start not in ("", ".."):
            parts.append(
                f"{col} >= {inst(compiler.compile_value(iso(start)), field.type)}"
            )
        if end not in ("", ".."):
            parts.append(
                f"{col} <= {inst(compiler.compile_value(iso(end)), field.type)}"
            )
        parts.append(f"{self.dialect.ident(name)} IS NOT NULL")
        return "(" + " AND ".join(parts) + ")"

    def _text(self, compiler: Compiler, terms: list[str]) -> str:
        texts = [f for f in self.layer.fields if f.type is FieldType.STRING]
        if not texts:
            return "0 = 1"
        ors = []
        for term in terms:
            pattern = (
                "%"
                + term.lower()
                .replace("\\", "\\\\")
                .replace("%", "\\%")
                .replace("_", "\\_")
                + "%"
            )
            for f in texts:
                lowered = self.dialect.lower(self.dialect.ident(f.name))
                ors.append(
                    f"{lowered} LIKE {compiler.compile_value(pattern)} ESCAPE "
                    f"{compiler.compile_value(chr(92))}"
                )
        return "(" + " OR ".join(ors) + ")"


def typed(value: Any, ftype: FieldType, name: str) -> Any:
    """Return a query-string value as the field's type; raise QueryError."""
    if not isinstance(value, str):
        return value
    try:
        if ftype is FieldType.INTEGER:
            return int(value)
        if ftype is FieldType.NUMBER:
            return float(value)
        if ftype is FieldType.BOOLEAN:
            return {"true": True, "1": True, "false": False, "0": False}[value.lower()]
    except (ValueError, KeyError) as err:
        raise QueryError(f"{name} takes {ftype.value} values, not {value!r}") from err
    return value


def iso(text: str) -> str:
    """Return an RFC 3339 date or date-time as a naive UTC ISO string."""
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError as err:
        raise QueryError(f"not a date or date-time: {text!r}") from err
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.isoformat()
