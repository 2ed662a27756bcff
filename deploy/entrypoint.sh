#!/bin/sh
# Start a node process. The database password comes from a secret file (never
# from the image or the config); a first start gets the default configuration.
set -eu
if [ -n "${SIMPUL_DB_PASSWORD_FILE:-}" ]; then
  PGPASSWORD="$(cat "$SIMPUL_DB_PASSWORD_FILE")"
  export PGPASSWORD
fi
if [ ! -f "$PYGEOAPI_CONFIG" ]; then
  cp /etc/simpul/pygeoapi-config.yml "$PYGEOAPI_CONFIG"
fi
exec "$@"
