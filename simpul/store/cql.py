"""Compile a pygeofilter CQL2 tree into an SQL condition with bound parameters.

Names reach SQL only after they are found in the layer's schema; every value is a
bound parameter. What differs between SQLite and PostgreSQL is left to a
:class:`Dialect`.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from typing import Any

import shapely
from pygeofilter import ast, values

from .base import FieldType, Layer, QueryError

GEOMETRY_NAMES = frozenset({"geometry", "geom", "the_geom"})
TEMPORAL = (FieldType.DATE, FieldType.DATETIME)

COMPARISONS = {
    ast.Equal: "=",
    ast.NotEqual: "<>",
    ast.LessThan: "<",
    ast.LessEqual: "<=",
    ast.GreaterThan: ">",
    ast.GreaterEqual: ">=",
}
ARITHMETIC = {ast.Add: "+", ast.Sub: "-", ast.Mul: "*", ast.Div: "/"}

#: CQL2 spatial predicates, by the name shapely gives the same relation.
SPATIAL = {
    ast.GeometryIntersects: "intersects",
    ast.GeometryDisjoint: "disjoint",
    ast.GeometryContains: "contains",
    ast.GeometryWithin: "within",
    ast.GeometryTouches: "touches",
    ast.GeometryCrosses: "crosses",
    ast.GeometryOverlaps: "overlaps",
    ast.GeometryEquals: "equals",
}


class Dialect(ABC):
    """The SQL spelling of one backend."""

    placeholder = "?"

    def ident(self, name: str) -> str:
        """Quote an identifier that was already checked against the schema."""
        return '"' + name.replace('"', '""') + '"'

    @abstractmethod
    def spatial(self, layer: Layer, relation: str, geom: Any) -> tuple[str, list]:
        """Return SQL testing ``relation(feature geometry, geom)``."""

    @abstractmethod
    def instant(self, sql: str, field_type: FieldType) -> str:
        """Return SQL turning a date or date-time expression into a comparable."""

    def lower(self, sql: str) -> str:
        """Return SQL lower-casing a text expression."""
        return f"lower({sql})"

    def select_geometry(self, sql: str) -> str:
        """Return SQL selecting the geometry column in the store's binary form."""
        return sql

    def select_field(self, sql: str, field_type: FieldType) -> str:
        """Return SQL selecting an attribute column."""
        return sql


class Compiler:
    """Turns one filter tree into SQL text and a list of parameters."""

    def __init__(self, layer: Layer, dialect: Dialect) -> None:
        self.layer = layer
        self.dialect = dialect
        self.params: list[Any] = []

    def compile(self, node: Any) -> str:
        """Return the SQL condition for *node*; parameters collect in ``params``."""
        if not _is_node(node):
            return self.compile_value(node)
        handler = getattr(self, f"_{type(node).__name__}", None)
        if handler is None:
            for cls, op in COMPARISONS.items():
                if isinstance(node, cls):
                    return self._comparison(node, op)
            for cls, relation in SPATIAL.items():
                if isinstance(node, cls):
                    return self._spatial(node, relation)
            for cls, op in ARITHMETIC.items():
                if isinstance(node, cls):
                    return f"({self.compile(node.lhs)} {op} {self.compile(node.rhs)})"
            raise QueryError(f"filter element not supported: {_describe(node)}")
        return handler(node)

    # -- logic -------------------------------------------------------------
    def _And(self, node: ast.And) -> str:
        return f"({self.compile(node.lhs)} AND {self.compile(node.rhs)})"

    def _Or(self, node: ast.Or) -> str:
        return f"({self.compile(node.lhs)} OR {self.compile(node.rhs)})"

    def _Not(self, node: ast.Not) -> str:
        return f"(NOT {self.compile(node.sub_node)})"

    def _Include(self, node: ast.Include) -> str:
        return "0 = 1" if node.not_ else "1 = 1"

    # -- scalar predicates -------------------------------------------------
    def _comparison(self, node: Any, op: str) -> str:
        ftype = self._temporal_type(node.lhs, node.rhs)
        return f"{self._operand(node.lhs, ftype)} {op} {self._operand(node.rhs, ftype)}"

    def _Between(self, node: ast.Between) -> str:
        ftype = self._temporal_type(node.lhs, node.low, node.high)
        lhs = self._operand(node.lhs, ftype)
        low, high = self._operand(node.low, ftype), self._operand(node.high, ftype)
        return f"{lhs} {'NOT ' if node.not_ else ''}BETWEEN {low} AND {high}"

    def _In(self, node: ast.In) -> str:
        ftype = self._temporal_type(node.lhs, *node.sub_nodes)
        items = ", ".join(self._operand(n, ftype) for n in node.sub_nodes)
        not_ = "NOT " if node.not_ else ""
        return f"{self._operand(node.lhs, ftype)} {not_}IN ({items})"

    def _IsNull(self, node: ast.IsNull) -> str:
        return f"{self.compile(node.lhs)} IS {'NOT ' if node.not_ else ''}NULL"

    def _Like(self, node: ast.Like) -> str:
        lhs, pattern = self.compile(node.lhs), self.compile(node.pattern)
        if node.nocase:
            lhs, pattern = self.dialect.lower(lhs), self.dialect.lower(pattern)
        not_ = "NOT " if node.not_ else ""
        return f"{lhs} {not_}LIKE {pattern} ESCAPE {self._bind(node.escapechar)}"

    # -- operands ----------------------------------------------------------
    def _Attribute(self, node: ast.Attribute) -> str:
        if self.layer.field(node.name) is None:
            if node.name == self.layer.pk or node.name == "id":
                return self.dialect.ident(self.layer.pk)
            raise QueryError(f"unknown property in filter: {node.name!r}")
        return self.dialect.ident(node.name)

    def _Function(self, node: ast.Function) -> str:
        if node.name.lower() == "lower" and len(node.arguments) == 1:
            return self.dialect.lower(self.compile(node.arguments[0]))
        raise QueryError(f"function not supported in filter: {node.name.upper()}")

    def compile_value(self, value: Any) -> str:
        """Return a placeholder for a literal value."""
        if isinstance(value, (bool, int, float, str)):
            return self._bind(value)
        if isinstance(value, (dt.date, dt.datetime)):
            return self._bind(_iso(value))
        raise QueryError(f"value not supported in filter: {_describe(value)}")

    def _operand(self, node: Any, temporal: FieldType | None) -> str:
        sql = self.compile(node)
        return self.dialect.instant(sql, temporal) if temporal else sql

    def _bind(self, value: Any) -> str:
        self.params.append(value)
        return self.dialect.placeholder

    def _temporal_type(self, *nodes: Any) -> FieldType | None:
        """Return the temporal type to compare in, when a date column is involved."""
        for node in nodes:
            if isinstance(node, ast.Attribute):
                f = self.layer.field(node.name)
                if f is not None and f.type in TEMPORAL:
                    return f.type
        if any(isinstance(n, (dt.date, dt.datetime)) for n in nodes):
            return FieldType.DATETIME
        return None

    # -- temporal predicates -----------------------------------------------
    def _temporal(self, node: Any) -> str:
        ftype = self._temporal_type(node.lhs)
        if ftype is None:
            raise QueryError("temporal predicates need a date or date-time property")
        lhs = self._operand(node.lhs, ftype)
        start, end = _interval(node.rhs)
        bound = {
            k: self.dialect.instant(self._bind(_iso(v)), ftype)
            for k, v in (("start", start), ("end", end))
            if v is not None
        }
        return _temporal_sql(type(node), lhs, bound.get("start"), bound.get("end"))

    _TimeAfter = _TimeBefore = _TimeDuring = _TimeEquals = _temporal
    _TimeDisjoint = _TimeOverlaps = _temporal

    # -- spatial predicates ------------------------------------------------
    def _spatial(self, node: Any, relation: str) -> str:
        lhs, rhs = node.lhs, node.rhs
        if self._is_geometry_attribute(rhs) and not self._is_geometry_attribute(lhs):
            lhs, rhs = rhs, lhs
            relation = {"contains": "within", "within": "contains"}.get(
                relation, relation
            )
        if not self._is_geometry_attribute(lhs):
            raise QueryError("spatial predicates compare the geometry with a value")
        sql, params = self.dialect.spatial(self.layer, relation, to_shape(rhs))
        self.params.extend(params)
        return sql

    def _BBox(self, node: ast.BBox) -> str:
        if not self._is_geometry_attribute(node.lhs):
            raise QueryError("BBOX applies to the geometry")
        box = shapely.box(node.minx, node.miny, node.maxx, node.maxy)
        sql, params = self.dialect.spatial(self.layer, "intersects", box)
        self.params.extend(params)
        return sql

    def _is_geometry_attribute(self, node: Any) -> bool:
        return isinstance(node, ast.Attribute) and (
            node.name in GEOMETRY_NAMES or node.name == self.layer.geometry_column
        )


def _temporal_sql(kind: type, v: str, start: str | None, end: str | None) -> str:
    """Return SQL relating instant *v* to the interval [start, end]."""
    after_start = f"{v} >= {start}" if start else "1 = 1"
    before_end = f"{v} <= {end}" if end else "1 = 1"
    if kind is ast.TimeAfter:
        return f"{v} > {end}" if end else "0 = 1"
    if kind is ast.TimeBefore:
        return f"{v} < {start}" if start else "0 = 1"
    if kind is ast.TimeEquals:
        return f"({v} = {start} AND {v} = {end})" if start and end else "0 = 1"
    if kind is ast.TimeDisjoint:
        return f"(NOT ({after_start} AND {before_end}))"
    if kind is ast.TimeDuring:
        strict = [
            f"{v} > {start}" if start else "1 = 1",
            f"{v} < {end}" if end else "1 = 1",
        ]
        return f"({' AND '.join(strict)})"
    return f"({after_start} AND {before_end})"


def _interval(value: Any) -> tuple[Any, Any]:
    if isinstance(value, values.Interval):
        return value.start, value.end
    if isinstance(value, (dt.date, dt.datetime)):
        return value, value
    raise QueryError(f"not a time instant or interval: {_describe(value)}")


def to_shape(value: Any) -> Any:
    """Return a shapely geometry for a geometry literal of the filter."""
    if isinstance(value, values.Geometry):
        try:
            return shapely.geometry.shape(value.geometry)
        except (ValueError, TypeError, AttributeError) as err:
            raise QueryError(f"invalid geometry in filter: {err}") from err
    if isinstance(value, values.Envelope):
        # pygeofilter's CQL2-JSON parser fills Envelope(x1, x2, y1, y2) straight
        # from the JSON "bbox" array, which is [minx, miny, maxx, maxy].
        return shapely.box(value.x1, value.x2, value.y1, value.y2)
    if isinstance(value, ast.Function) and value.name.lower() == "bbox":
        return shapely.box(*[float(a) for a in value.arguments[:4]])
    raise QueryError(f"not a geometry: {_describe(value)}")


def _is_node(value: Any) -> bool:
    return isinstance(value, ast.Node)


def _iso(value: dt.date | dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat()
    return value.isoformat()


def _describe(node: Any) -> str:
    text = repr(node)
    return text if len(text) < 80 else text[:77] + "..."
