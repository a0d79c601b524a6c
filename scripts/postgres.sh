#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 on a loopback port for the tests and prints the export line
# for SESSIONS_TEST_POSTGRES. Usage: eval "$(scripts/postgres.sh start)"; scripts/postgres.sh stop <dir>
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

case "${1:-}" in
  start)
    if [ ! -x "$PG_BIN/postgres" ]; then
      echo "installing PostgreSQL 15" >&2
      apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >&2
    fi
    dir=$(mktemp -d /tmp/sessions-pg.XXXXXX)
    chmod 755 "$dir"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
    port=$(free_port)
    as_postgres "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
    as_postgres "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >&2
    echo "export SESSIONS_TEST_POSTGRES_DIR='$dir'"
    echo "export SESSIONS_TEST_POSTGRES='Host=127.0.0.1;Port=$port;Username=postgres;Password=postgres;Database=postgres;Timeout=5'"
    ;;
  stop)
    dir=${2:?usage: postgres.sh stop <dir>}
    as_postgres "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start | stop <dir>" >&2
    exit 2
    ;;
esac
