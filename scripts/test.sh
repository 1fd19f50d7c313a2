#!/usr/bin/env bash
# `make test`: build every test target once, then run the test binaries in parallel. The
# end-to-end binaries spend their time waiting on the emulator and Terraform (each a single
# Python or Go process), so running PLUMB_TEST_JOBS of them at once (default 3) uses both cores
# instead of one. Each binary's output is printed whole when it finishes; the run fails when any
# binary fails, and lists which.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="${PLUMB_TEST_JOBS:-3}"
out=$(mktemp -d /tmp/plumb-test.XXXXXX)
trap 'rm -rf "$out"' EXIT

cargo test --all-targets --no-run --message-format=json-render-diagnostics 2>"$out/build.err" >"$out/build.json" || {
  cat "$out/build.err" >&2
  exit 1
}
# Executables of test targets (unit tests, integration tests, the bench run as a smoke test).
python3 - "$out/build.json" >"$out/binaries" <<'PY'
import json, sys
seen = []
for line in open(sys.argv[1]):
    try:
        m = json.loads(line)
    except ValueError:
        continue
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m.get("profile", {}).get("test", False) or \
       m.get("reason") == "compiler-artifact" and m.get("executable") and m.get("target", {}).get("kind") == ["bench"]:
        name = m["target"]["name"] + ("-" + m["target"]["kind"][0] if m["target"]["kind"][0] in ("lib", "bin") else "")
        seen.append((name, m["executable"]))
for name, exe in sorted(set(seen)):
    print(name, exe)
PY

run_one() {
  local name=$1 exe=$2 log="$out/$1.log"
  local start=$SECONDS
  if "$exe" --test-threads=4 >"$log" 2>&1; then
    echo "ok $name $((SECONDS - start))s" >>"$log.status"
  else
    echo "FAILED $name $((SECONDS - start))s" >>"$log.status"
  fi
  { echo "=== $name ($((SECONDS - start)) s)"; cat "$log"; } >&2
}
export -f run_one
export out
# Longest first: the stacks with the slowest applies start at once.
order="scan_core scan_reach scan_estates scan_data attribution_e2e scan_storage scan_audit fix_e2e scan_network scan_iam scan_eks node_config_e2e faults"
{
  for n in $order; do grep "^$n " "$out/binaries" || true; done
  grep -v -E "^($(echo $order | tr ' ' '|')) " "$out/binaries" || true
} | xargs -P "$jobs" -L 1 bash -c 'run_one "$0" "$1"'

failed=$(cat "$out"/*.status | grep '^FAILED' || true)
echo >&2
cat "$out"/*.status | sort -k3 -t' ' >&2
if [[ -n "$failed" ]]; then
  echo "test binaries failed:" >&2
  echo "$failed" >&2
  exit 1
fi
echo "all $(wc -l <"$out/binaries") test binaries passed" >&2
