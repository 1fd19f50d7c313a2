#!/usr/bin/env bash
# Start or stop a patched moto server (testdata/moto/launch.py) for manual testing.
#
#   scripts/moto.sh start   # prints the endpoint URL, e.g. http://127.0.0.1:41234
#   scripts/moto.sh stop    # stops the server this script started
#   scripts/moto.sh url     # prints the URL of the running server
#
# State lives under target/moto/ (pid, url, log). Set INITIAL_NO_AUTH_ACTION_COUNT to have moto
# enforce IAM after that many requests (see testdata/moto/README.md).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir="$root/target/moto"
pidfile="$dir/pid"
urlfile="$dir/url"
log="$dir/server.log"

running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

answers() {
  python3 - "$1" <<'PY'
import sys, urllib.request, urllib.error
try:
    urllib.request.urlopen(sys.argv[1] + "/moto-api/", timeout=1)
except urllib.error.HTTPError:
    pass  # any HTTP answer means the server is up
except Exception:
    sys.exit(1)
PY
}

start() {
  if running; then
    echo "moto.sh: already running (pid $(cat "$pidfile"))" >&2
    cat "$urlfile"
    return 0
  fi
  mkdir -p "$dir"
  for _attempt in 1 2 3; do
    port=$(free_port)
    url="http://127.0.0.1:$port"
    python3 "$root/testdata/moto/launch.py" -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
    pid=$!
    echo "$pid" >"$pidfile"
    for _ in $(seq 1 150); do
      if ! kill -0 "$pid" 2>/dev/null; then break; fi
      if answers "$url"; then
        echo "$url" >"$urlfile"
        echo "$url"
        return 0
      fi
      sleep 0.1
    done
    # Died (port taken between probe and bind) or never answered: clean up and retry.
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    rm -f "$pidfile"
  done
  echo "moto.sh: moto did not start; see $log" >&2
  exit 1
}

stop() {
  if running; then
    pid=$(cat "$pidfile")
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile" "$urlfile"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) running && cat "$urlfile" ;;
  *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
