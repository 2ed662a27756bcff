"""Vector tiles from the PostGIS store, each made by one SQL statement."""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

from psycopg import sql

from simpul.tiles import TileOptions
from simpul.tiles.fromrows import tile_fields
from simpul.tiles.tilematrix import frame

from .base import STORAGE_SRID, Layer
from .postgis_dialect import PostGISDialect
from .postgis_pool import Database

#: The integer SRID of each tile matrix set's CRS (lon/lat order for 4326).
TMS_SRIDS = {"WebMercatorQuad": 3857, "WorldCRS84Quad": 4326}


@functools.cache
def _template() -> str:
    return resources.files(__package__).joinpath("postgis_tile.sql").read_text()


def tile_statement(layer: Layer, tms_id: str, options: TileOptions) -> sql.Composed:
    """Return the tile statement for *layer*, its names checked against it."""
    dialect = PostGISDialect()
    columns = [sql.SQL("t.{} AS {}").format(*[sql.Identifier(layer.pk)] * 2)]
    for name in tile_fields(layer, options):
        field = layer.field(name)
        assert field is not None
        selected = dialect.select_field(f"t.{dialect.ident(name)}", field.type)
        columns.append(sql.SQL(selected + " AS {}").format(sql.Identifier(name)))
    speck, visible = sql.SQL(""), sql.SQL("")
    if layer.geometry_type in ("Polygon", "MultiPolygon"):
        speck = sql.SQL(
            " AND (ST_XMax(t.{0}) - ST_XMin(t.{0})) * (ST_YMax(t.{0}) - ST_YMin(t.{0}))"
            " >= %(speck)s"
        ).format(sql.Identifier(layer.geometry_column or "geom"))
        visible = sql.SQL(" AND ST_Area(features.mvt_geom) >= %(min_area)s")
    return sql.SQL(_template()).format(
        speck=speck,
        visible=visible,
        tms_srid=sql.Literal(TMS_SRIDS[tms_id]),
        column_srid=sql.Literal(STORAGE_SRID),
        pk_name=sql.Literal(layer.pk),
        geom=sql.Identifier(layer.geometry_column or "geom"),
        table=sql.Identifier(layer.table),
        columns=sql.SQL(", ").join(columns),
    )


def tile_params(
    tms_id: str, z: int, x: int, y: int, options: TileOptions
) -> dict[str, Any]:
    """Return the parameters of the tile statement for tile z/x/y."""
    area = frame(tms_id, z, x, y, options.extent, options.buffer)
    left, bottom, right, top = area.xy_bounds
    units = (right - left) / options.extent
    return {
        "left": left,
        "bottom": bottom,
        "right": right,
        "top": top,
        "layer": options.layer_name,
        "extent": options.extent,
        "buffer": options.buffer,
        "tolerance": options.tolerance * units,
        "pad_x": options.buffer * units,
        "pad_y": options.buffer * (top - bottom) / options.extent,
        # As in the GeoPackage store: half the limit for the envelope, for the
        # skew of the projection; at least half a unit, which snapping drops.
        "speck": 0.5 * options.min_area / area.square_units_per_square_degree(),
        "min_area": max(options.min_area, 0.5),
    }


def postgis_tile(
    db: Database,
    layer: Layer,
    tms_id: str,
    z: int,
    x: int,
    y: int,
    options: TileOptions,
) -> bytes | None:
    """Return tile z/x/y of *layer*, or None when no feature shows in it."""
    if layer.geometry_column is None:
        return None
    statement = tile_statement(layer, tms_id, options)
    params = tile_params(tms_id, z, x, y, options)
    data = db.rows(statement, params, binary=True)[0][0]
    return bytes(data) if data else None
