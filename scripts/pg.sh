#!/usr/bin/env bash
# A throwaway PostgreSQL server for the ledger's tests and benchmark: initdb in a folder,
# listening on 127.0.0.1 only, on a free port, trust authentication, durability off.
#
#   scripts/pg.sh start DIR   # prints the URL: postgres://plumb@127.0.0.1:PORT/postgres
#   scripts/pg.sh stop DIR    # stops the server and removes DIR
#   scripts/pg.sh bin         # prints the folder holding initdb and pg_ctl, or exits 1
#
# The binaries are found at run time (/usr/lib/postgresql/<newest>/bin, else PATH). initdb
# refuses to run as root: as root, the server runs as the `postgres` system user (created by
# Debian's postgresql package), else as a `plumb-pg` system user made here.
set -euo pipefail

bin_dir() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [[ -x $d/initdb && -x $d/pg_ctl ]]; then echo "$d"; return 0; fi
  done
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
    dirname "$(command -v initdb)"; return 0
  fi
  return 1
}

run_as() { # run_as USER CMD...: as root, run CMD as USER; otherwise run it as is
  local user=$1; shift
  if [[ $(id -u) == 0 ]]; then
    runuser -u "$user" -- "$@"
  else
    "$@"
  fi
}

server_user() {
  if [[ $(id -u) != 0 ]]; then id -un; return; fi
  if id postgres >/dev/null 2>&1; then echo postgres; return; fi
  id plumb-pg >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin plumb-pg
  echo plumb-pg
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
  local dir=$1 bin user port url
  bin=$(bin_dir) || { echo "pg.sh: no PostgreSQL binaries (initdb, pg_ctl) found" >&2; exit 1; }
  user=$(server_user)
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  chmod 700 "$dir"
  [[ $(id -u) == 0 ]] && chown "$user" "$dir"
  run_as "$user" "$bin/initdb" -D "$dir/data" -U plumb -A trust -E UTF8 --no-locale --no-sync >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  for _ in 1 2 3; do
    port=$(free_port)
    if run_as "$user" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
        start >"$dir/pg_ctl.log" 2>&1; then
      url="postgres://plumb@127.0.0.1:$port/postgres"
      echo "$url" >"$dir/url"
      echo "$url"
      return 0
    fi
  done
  echo "pg.sh: the server did not start; log:" >&2
  cat "$dir/server.log" >&2 || true
  exit 1
}

stop() {
  local dir=$1 bin user
  [[ -d $dir/data ]] || { rm -rf "$dir"; return 0; }
  bin=$(bin_dir) || exit 1
  user=$(stat -c %U "$dir/data")
  run_as "$user" "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start "${2:?usage: pg.sh start DIR}" ;;
  stop) stop "${2:?usage: pg.sh stop DIR}" ;;
  bin) bin_dir ;;
  *) echo "usage: $0 start DIR | stop DIR | bin" >&2; exit 2 ;;
esac
