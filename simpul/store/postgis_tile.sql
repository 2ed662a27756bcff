-- One vector tile in one statement. Candidates come through the GiST index
-- with the tile's buffered envelope transformed to the column's SRID; each is
-- projected to the tile matrix set's CRS, generalised, clipped and encoded.
-- Polygons too small to see are skipped by their envelope before that work,
-- and by their area in tile units after it.
WITH frame AS (
    SELECT ST_MakeEnvelope(%(left)s, %(bottom)s, %(right)s, %(top)s, {tms_srid}) AS tile
)
SELECT ST_AsMVT(features.*, %(layer)s, %(extent)s, 'mvt_geom', {pk_name})
FROM (
    SELECT ST_AsMVTGeom(
               ST_Simplify(ST_Transform(t.{geom}, {tms_srid}), %(tolerance)s, true),
               frame.tile, %(extent)s, %(buffer)s, true
           ) AS mvt_geom,
           {columns}
    FROM {table} AS t, frame
    WHERE t.{geom} && ST_Transform(
        ST_Expand(frame.tile, %(pad_x)s, %(pad_y)s), {column_srid}
    ){speck}
    -- A fence: without it the planner copies the conditions on mvt_geom below
    -- into this scan and computes ST_AsMVTGeom once per condition.
    OFFSET 0
) AS features
WHERE features.mvt_geom IS NOT NULL{visible}
