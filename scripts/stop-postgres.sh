#!/usr/bin/env bash
# Stop the throwaway PostgreSQL server that start-postgres.sh started for the test suite, and
# delete its data folder and URL file. Does nothing when it is not running.
set -uo pipefail
port=${1:-55432}
url_file=${2:-var/pg-url}
data=/tmp/hrdwatch-pg-$port
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
run_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ -n "$bindir" ] && [ -d "$data" ] && run_pg "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  run_pg "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null && echo "PostgreSQL on 127.0.0.1:$port stopped"
fi
rm -rf "$data" "$url_file"
