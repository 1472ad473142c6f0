#!/usr/bin/env bash
# Stops the cluster .ci/start-postgres.sh started in DATA_DIR and removes it.
set -uo pipefail
data="$1"
[ -f "$data/postmaster.pid" ] || { rm -rf "$data"; exit 0; }
bin="$(dirname "$(ls /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -1)")"
as_postgres=()
[ "$(id -u)" = 0 ] && as_postgres=(runuser -u postgres --)
"${as_postgres[@]}" "$bin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null
rm -rf "$data"
