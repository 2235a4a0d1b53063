#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on loopback for the test suite and write its URL to $2.
# Installs Debian's postgresql package when it is missing (CI runs as root).
set -euo pipefail
port=${1:-55432}
url_file=${2:-var/pg-url}
data=/tmp/hrdwatch-pg-$port
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
fi
[ -n "$bindir" ] || { echo "no PostgreSQL binaries" >&2; exit 1; }
run_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if ! run_pg "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  rm -rf "$data"; mkdir -p "$data"
  [ "$(id -u)" = 0 ] && chown postgres "$data"
  run_pg "$bindir/initdb" -D "$data" -U postgres -A trust >/dev/null
  run_pg "$bindir/pg_ctl" -D "$data" -o "-p $port -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off" \
    -l "$data/log" -w start >/dev/null
fi
echo "postgresql+psycopg://postgres@127.0.0.1:$port/postgres" > "$url_file"
echo "PostgreSQL on 127.0.0.1:$port"
