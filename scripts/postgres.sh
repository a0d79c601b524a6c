#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 on a loopback port for the tests and prints the export line
# for SESSIONS_TEST_POSTGRES. Usage: eval "$(scripts/postgres.sh start)"; scripts/postgres.sh stop <dir>
# The fault tests also halt a server (data kept) and resume it on the same port: halt|resume <dir>.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# pg_ctl with the server options of this throwaway instance, on the port chosen at start.
run_server() { # dir action
  as_postgres "$PG_BIN/pg_ctl" -D "$1/data" -l "$1/server.log" -w \
    -o "-p $(cat "$1/port") -k $1 -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    "$2"
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
    echo "$port" >"$dir/port"
    as_postgres "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
    run_server "$dir" start >&2
    echo "export SESSIONS_TEST_POSTGRES_DIR='$dir'"
    echo "export SESSIONS_TEST_POSTGRES='Host=127.0.0.1;Port=$port;Username=postgres;Password=postgres;Database=postgres;Timeout=5'"
    ;;
  halt)
    dir=${2:?usage: postgres.sh halt <dir>}
    as_postgres "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >&2
    ;;
  resume)
    dir=${2:?usage: postgres.sh resume <dir>}
    run_server "$dir" start >&2
    ;;
  stop)
    dir=${2:?usage: postgres.sh stop <dir>}
    as_postgres "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start | stop <dir> | halt <dir> | resume <dir>" >&2
    exit 2
    ;;
esac
