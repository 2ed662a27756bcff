-- The roles of a node's PostGIS store, run once by a superuser in the node's
-- database with psql:
--   psql -v publisher_password=... -v reader_password=... -f roles.sql
-- The publishing role creates and replaces the layer tables; the serving role
-- reads them and can do nothing else.
\set ON_ERROR_STOP on

CREATE EXTENSION IF NOT EXISTS postgis;

CREATE ROLE simpul_publisher LOGIN PASSWORD :'publisher_password';
CREATE ROLE simpul_reader LOGIN PASSWORD :'reader_password';

REVOKE ALL ON SCHEMA public FROM PUBLIC;
REVOKE TEMPORARY ON DATABASE :"DBNAME" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"DBNAME" TO simpul_publisher, simpul_reader;
GRANT USAGE, CREATE ON SCHEMA public TO simpul_publisher;
GRANT USAGE ON SCHEMA public TO simpul_reader;
ALTER DEFAULT PRIVILEGES FOR ROLE simpul_publisher IN SCHEMA public
    GRANT SELECT ON TABLES TO simpul_reader;

-- Belt and braces: the server also sets both on every connection it opens.
ALTER ROLE simpul_reader SET default_transaction_read_only = on;
ALTER ROLE simpul_reader SET statement_timeout = '30s';
