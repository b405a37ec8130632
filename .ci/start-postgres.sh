#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on 127.0.0.1 and a free port, and prints the connection
# string. Installs PostgreSQL from Debian's packages when it is missing.
#   eval "$(bash .ci/start-postgres.sh)"   # exports MISAS_PG_URL
set -euo pipefail

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "installing postgresql from Debian packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi
bin=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")

port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});')
data=$(mktemp -d /tmp/misas-pg.XXXXXX)
chown postgres:postgres "$data"
runuser -u postgres -- "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 >&2
runuser -u postgres -- "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$data -c fsync=on -c max_connections=200" start >&2
echo "export MISAS_PG_URL=postgres://postgres@127.0.0.1:$port/postgres"
echo "export MISAS_PG_DATA=$data"
