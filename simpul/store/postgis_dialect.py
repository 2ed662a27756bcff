"""The PostgreSQL/PostGIS spelling of the store's SQL.

Spatial predicates run in PostGIS against the GiST index; query geometries are
bound as WKB. Dates and date-times are selected as the same ISO text the
GeoPackage store returns, so both stores answer alike.
"""

from __future__ import annotations

from typing import Any

import shapely

from .base import STORAGE_SRID, FieldType, Layer
from .cql import Dialect

#: CQL2 spatial relations (shapely names) to PostGIS functions.
FUNCTIONS = {
    "intersects": "ST_Intersects",
    "disjoint": "ST_Disjoint",
    "contains": "ST_Contains",
    "within": "ST_Within",
    "touches": "ST_Touches",
    "crosses": "ST_Crosses",
    "overlaps": "ST_Overlaps",
    "equals": "ST_Equals",
}

DATETIME_TEXT = (
    "CASE WHEN date_trunc('second', {0}) = {0}"
    " THEN to_char({0}, 'YYYY-MM-DD\"T\"HH24:MI:SS')"
    " ELSE to_char({0}, 'YYYY-MM-DD\"T\"HH24:MI:SS.MS') END"
)


class PostGISDialect(Dialect):
    """PostgreSQL spelling with PostGIS spatial functions."""

    placeholder = "%s"

    def spatial(self, layer: Layer, relation: str, geom: Any) -> tuple[str, list]:
        col = self.ident(layer.geometry_column or "geom")
        function = FUNCTIONS[relation]
        if _is_box(geom):
            literal = f"ST_MakeEnvelope(%s, %s, %s, %s, {STORAGE_SRID})"
            params: list[Any] = list(geom.bounds)
        else:
            literal = f"ST_GeomFromWKB(%s, {STORAGE_SRID})"
            params = [shapely.to_wkb(geom, flavor="iso")]
        sql = f"{function}({col}, {literal})"
        if relation == "disjoint":
            # A feature without geometry is disjoint from everything, as in GeoPackage.
            sql = f"({col} IS NULL OR {sql})"
        return sql, params

    def instant(self, sql: str, field_type: FieldType) -> str:
        target = "date" if field_type is FieldType.DATE else "timestamp"
        return f"CAST({sql} AS {target})"

    def select_geometry(self, sql: str) -> str:
        return f"ST_AsBinary({sql})"

    def select_field(self, sql: str, field_type: FieldType) -> str:
        if field_type is FieldType.DATE:
            return f"to_char({sql}, 'YYYY-MM-DD')"
        if field_type is FieldType.DATETIME:
            return DATETIME_TEXT.format(sql)
        return sql


def _is_box(geom: Any) -> bool:
    """Tell whether *geom* is an axis-aligned rectangle."""
    if geom.geom_type != "Polygon" or geom.is_empty:
        return False
    return bool(shapely.equals(geom, shapely.box(*geom.bounds)))
