#!/usr/bin/env bash
# A throwaway PostgreSQL server for the store tests, on 127.0.0.1 at a free port, in a temp dir.
#
#   eval "$(bash scripts/postgres.sh start)"   # prints: export PII_TEST_PG_URL=... PII_TEST_PG_DIR=...
#   bash scripts/postgres.sh stop "$PII_TEST_PG_DIR"
#
# Installs Debian's `postgresql` package with apt-get when no initdb is found (on PATH or in
# /usr/lib/postgresql/*/bin). initdb refuses to run as root, so as root the cluster belongs to
# the `postgres` user (runuser). Trust authentication on 127.0.0.1 only; fsync off: test data.
set -euo pipefail

find_bindir() {
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v pg_ctl)")"
    return 0
  fi
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$d" ] && [ -x "$d/initdb" ]; then
    echo "$d"
    return 0
  fi
  return 1
}

install_postgres() {
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "postgres.sh: installing Debian's postgresql package" >&2
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start() {
  local bindir dir port
  bindir=$(find_bindir) || { install_postgres; bindir=$(find_bindir); } || {
    echo "postgres.sh: no initdb found even after installing postgresql" >&2
    exit 1
  }
  dir=$(mktemp -d /tmp/pii-pg.XXXXXX)
  chmod 755 "$dir"
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir "$dir" postgres
    chown postgres: "$dir"
  fi
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  as_owner "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale \
    >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  as_owner "$bindir/psql" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres \
    -c "CREATE DATABASE pii_test" >/dev/null
  echo "export PII_TEST_PG_URL=postgresql://postgres@127.0.0.1:$port/pii_test"
  echo "export PII_TEST_PG_DIR=$dir"
}

stop() {
  local dir=${1:?usage: postgres.sh stop DIR} bindir
  case "$dir" in /tmp/pii-pg.*) ;; *) echo "postgres.sh: refusing to remove $dir" >&2; exit 1 ;; esac
  bindir=$(find_bindir)
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: postgres.sh start | stop DIR" >&2; exit 2 ;;
esac
