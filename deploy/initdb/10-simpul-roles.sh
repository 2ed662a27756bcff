#!/bin/sh
# First start of the database container: create the node's two roles with the
# passwords the operator wrote into the secret files (see docs/scaling.md).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v publisher_password="$(cat /run/secrets/simpul_publisher_password)" \
  -v reader_password="$(cat /run/secrets/simpul_reader_password)" \
  -f /simpul/roles.sql
