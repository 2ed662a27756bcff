-- The registry of published layers: each dataset name points at the physical
-- table that serves it now. Publishing replaces a row in one transaction.
CREATE TABLE IF NOT EXISTS simpul_layers (
    name text PRIMARY KEY,
    table_name text NOT NULL UNIQUE,
    version text NOT NULL,
    geometry_type text NOT NULL,
    feature_count bigint NOT NULL,
    min_x double precision,
    min_y double precision,
    max_x double precision,
    max_y double precision,
    published timestamptz NOT NULL DEFAULT now(),
    dense_ids boolean NOT NULL DEFAULT false
);
