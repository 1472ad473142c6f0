#!/usr/bin/env bash
# Starts a throw-away PostgreSQL cluster on loopback in DATA_DIR and prints its URL; the PostgreSQL
# suites run against it. Usage: PG_URL=$(.ci/start-postgres.sh DATA_DIR [port]); a free port by default.
# Stop it with .ci/stop-postgres.sh DATA_DIR (pg_ctl stops the server by the pid in its data directory).
set -euo pipefail
data="$1"
port="${2:-$(node -e "const s = require('net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })")}"
initdb="$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)"
bin="$(dirname "$initdb")"
as_postgres=()
if [ "$(id -u)" = 0 ]; then
  chown postgres "$data"
  as_postgres=(runuser -u postgres --)
fi
"${as_postgres[@]}" "$bin/initdb" -D "$data" -A trust -U postgres >/dev/null
"${as_postgres[@]}" "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $data -c fsync=off" start >/dev/null
echo "postgres://postgres@127.0.0.1:$port/postgres"
