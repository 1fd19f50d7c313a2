#!/usr/bin/env bash
# Plumb vs `terraform plan -refresh-only` on a generated stack of N resources, in one run on a
# fresh emulator. See docs/benchmarks.md.
#
#   scripts/bench.sh [N]          # N resources (default 300, at least 15)
#
# Steps: release build; patched moto on a free loopback port (scripts/bench/moto_counting.py,
# which also logs each request's service and operation); terraform apply of scripts/bench/stack
# (15 resource types, `count`-based); `plumb -v scan` three times (best time kept) and
# `terraform plan -refresh-only` once; API calls counted from the emulator's request log
# between runs and cross-checked against plumb's own `-v` count; a table and the targets.
#
# Environment:
#   PLUMB_BIN=path    use this plumb binary instead of building target/release/plumb
#   BENCH_KEEP=1      keep the working directory (stack, state, full emulator log)
#   BENCH_PARALLELISM terraform apply parallelism (default 20); the measured plan uses
#                     Terraform's default (10), as people run it
#
# Exit codes: 0 targets hold; 1 setup failed or plumb's scan was not clean (exit code, or not
# every resource in_sync); 3 the scan was clean but a target was missed.
# Results (table, per-operation call counts, plumb logs and reports) are kept in
# target/bench/last-N/; the working directory is removed on exit.
set -euo pipefail

n=${1:-300}
if ! [[ "$n" =~ ^[0-9]+$ ]] || [ "$n" -lt 15 ]; then
  echo "usage: $0 [N]   (N >= 15 resources)" >&2
  exit 2
fi
units=$((n / 15))
extra=$((n % 15))
if [ "$units" -gt 256 ]; then
  echo "bench: N=$n needs $units VPCs; the stack supports at most 256 (N <= 3854)" >&2
  exit 2
fi

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }
now_ms() { date +%s%3N; }

# --- 1. Plumb, release build -----------------------------------------------------------------
if [ -n "${PLUMB_BIN:-}" ]; then
  plumb=$PLUMB_BIN
  say "using PLUMB_BIN=$plumb (no build)"
else
  say "cargo build --release (a cold build takes many minutes on 2 cores)"
  t0=$(now_ms)
  cargo build --release
  say "build took $(( ($(now_ms) - t0) / 1000 )) s"
  plumb="$root/target/release/plumb"
fi
[ -x "$plumb" ] || die "no plumb binary at $plumb"

# --- working directory, emulator, cleanup ------------------------------------------------------
mkdir -p "$root/target/bench"
work=$(mktemp -d "$root/target/bench/run.XXXXXX")
results="$root/target/bench/last-$n"
moto_pid=""
cleanup() {
  local code=$?
  if [ -n "$moto_pid" ]; then
    kill "$moto_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$moto_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$moto_pid" 2>/dev/null || true
    wait "$moto_pid" 2>/dev/null || true
  fi
  if [ "${BENCH_KEEP:-0}" = 1 ]; then
    echo "bench: working directory kept: $work" >&2
  else
    rm -rf "$work"
  fi
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
rm -rf "$results"
mkdir -p "$results" "$work/stack"

moto_log="$work/moto.log"     # werkzeug: one line per HTTP request, plus any tracebacks
call_log="$work/calls.log"    # moto_counting.py: "<service> <operation>" per request
: >"$call_log"
url=""
for _attempt in 1 2 3; do
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
  BENCH_CALL_LOG="$call_log" python3 scripts/bench/moto_counting.py --exit-with-parent -H 127.0.0.1 -p "$port" >"$moto_log" 2>&1 &
  moto_pid=$!
  for _ in $(seq 1 150); do
    kill -0 "$moto_pid" 2>/dev/null || break
    if python3 -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$port/moto-api/', timeout=1)" 2>/dev/null; then
      url="http://127.0.0.1:$port"
      break
    fi
    sleep 0.1
  done
  [ -n "$url" ] && break
  kill "$moto_pid" 2>/dev/null || true
  wait "$moto_pid" 2>/dev/null || true
  moto_pid=""
done
[ -n "$url" ] || { cat "$moto_log" >&2; die "the emulator did not start"; }
say "emulator at $url (pid $moto_pid)"

# Requests the emulator has logged so far. werkzeug logs a request after answering it, so wait
# until the count stops moving before reading a marker.
requests() { grep -cE '"[A-Z]+ [^ ]+ HTTP/[0-9.]+" [0-9]{3}' "$moto_log" || true; }
settled_requests() {
  local a b
  a=$(requests)
  while :; do
    sleep 0.3
    b=$(requests)
    [ "$a" = "$b" ] && break
    a=$b
  done
  echo "$a"
}
call_lines() { wc -l <"$call_log" | tr -d ' '; }

# --- 2. The stack ------------------------------------------------------------------------------
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_DEFAULT_PROFILE AWS_ENDPOINT_URL
source scripts/tf-env.sh
export TF_VAR_endpoint="$url" TF_VAR_units="$units" TF_VAR_extra_volumes="$extra"
cp scripts/bench/stack/*.tf "$work/stack/"
cd "$work/stack"

say "terraform init"
terraform init -input=false -no-color >"$work/init.log" 2>&1 || { cat "$work/init.log" >&2; die "terraform init failed"; }
say "terraform apply: $n resources ($units units of 15 + $extra extra volumes), parallelism ${BENCH_PARALLELISM:-20}"
t0=$(now_ms)
terraform apply -auto-approve -input=false -no-color -parallelism="${BENCH_PARALLELISM:-20}" >"$work/apply.log" 2>&1 \
  || { tail -n 60 "$work/apply.log" >&2; die "terraform apply failed (log: $work/apply.log)"; }
apply_ms=$(( $(now_ms) - t0 ))
in_state=$(terraform state list | wc -l | tr -d ' ')
[ "$in_state" = "$n" ] || die "state holds $in_state resources, expected $n"
say "applied in $((apply_ms / 1000)) s"

# --- 3. Plumb: best of three --------------------------------------------------------------------
load_before=$(cut -d" " -f1-3 /proc/loadavg)
plumb_best_ms=""
plumb_calls=()
plumb_self=()
for i in 1 2 3; do
  before=$(settled_requests); before_lines=$(call_lines)
  t0=$(now_ms)
  set +e
  # Findings never fail this run (the emulator's account has no trail, detector or root MFA): the
  # exit code says whether the scan is clean.
  AWS_ENDPOINT_URL="$url" "$plumb" -v scan --state "$work/stack/terraform.tfstate" --format json --fail-on none \
    >"$results/plumb-report-$i.json" 2>"$results/plumb-v-$i.log"
  rc=$?
  set -e
  ms=$(( $(now_ms) - t0 ))
  after=$(settled_requests); after_lines=$(call_lines)
  sed -n "$((before_lines + 1)),${after_lines}p" "$call_log" >"$results/plumb-calls-$i.txt"

  if [ "$rc" -ne 0 ]; then
    echo "bench: plumb scan exited with $rc (run $i); its report is not a benchmark." >&2
  fi
  # A benchmark of a broken scan is worthless: every resource must be judged in_sync.
  if ! python3 - "$results/plumb-report-$i.json" "$n" <<'PY'
import json, sys
path, n = sys.argv[1], int(sys.argv[2])
try:
    r = json.load(open(path))
except Exception as e:
    sys.exit(f"bench: plumb's report is not JSON ({e})")
s = r.get("summary", {})
bad = [x for x in r.get("resources", []) if x.get("status") != "in_sync"]
problems = []
if not r.get("complete", False):
    problems.append("scan incomplete")
if s.get("in_sync") != n:
    problems.append(f"in_sync = {s.get('in_sync')}, expected {n}")
if bad:
    problems.append(f"{len(bad)} resources not in_sync")
if s.get("not_judged"):
    problems.append(f"not_judged = {s.get('not_judged')}")
if not problems:
    sys.exit(0)
print("bench: plumb's report is not clean: " + "; ".join(problems), file=sys.stderr)
for e in r.get("errors", []):
    print(f"  error: {e.get('service')} {e.get('code')}: {e.get('message')} -> {e.get('affected_types')}", file=sys.stderr)
for x in r.get("not_judged", [])[:20]:
    print(f"  not judged: {x.get('address')} ({x.get('reason')})", file=sys.stderr)
for x in bad[:40]:
    print(f"  {x.get('status')}: {x.get('address') or '(unmanaged)'} {x.get('type')} {x.get('id')}", file=sys.stderr)
    for c in x.get("changes", [])[:5]:
        print(f"      {c.get('path')}: state={json.dumps(c.get('state'))[:120]} live={json.dumps(c.get('live'))[:120]}", file=sys.stderr)
if len(bad) > 40:
    print(f"  ... and {len(bad) - 40} more (report: {path})", file=sys.stderr)
sys.exit(1)
PY
  then
    tail -n 5 "$results/plumb-v-$i.log" >&2
    die "plumb's scan is broken; logs and report in $results"
  fi
  [ "$rc" -eq 0 ] || die "plumb exited with $rc although its report is clean; see $results/plumb-v-$i.log"

  calls=$((after - before))
  self=$(sed -nE 's/^plumb: ([0-9]+) API calls.*/\1/p' "$results/plumb-v-$i.log" | tail -n 1)
  plumb_calls+=("$calls")
  plumb_self+=("${self:-?}")
  say "plumb run $i: $(awk -v m="$ms" 'BEGIN{printf "%.2f", m/1000}') s, $calls requests at the emulator, plumb -v says ${self:-?}"
  if [ -z "$plumb_best_ms" ] || [ "$ms" -lt "$plumb_best_ms" ]; then
    plumb_best_ms=$ms
    best=$i
  fi
done
cp "$results/plumb-report-$best.json" "$results/plumb-report.json"
plumb_v_summary=$(grep -E '^plumb: [0-9]+ API calls' "$results/plumb-v-$best.log" | tail -n 1 || true)

# --- 4. Terraform: one refresh-only plan -------------------------------------------------------
say "terraform plan -refresh-only (default parallelism)"
before=$(settled_requests); before_lines=$(call_lines)
t0=$(now_ms)
set +e
terraform plan -refresh-only -input=false -no-color -detailed-exitcode >"$results/terraform-plan.log" 2>&1
tf_rc=$?
set -e
tf_ms=$(( $(now_ms) - t0 ))
after=$(settled_requests); after_lines=$(call_lines)
sed -n "$((before_lines + 1)),${after_lines}p" "$call_log" >"$results/terraform-calls.txt"
tf_calls=$((after - before))
case "$tf_rc" in
  0) tf_outcome="no changes" ;;
  2) tf_outcome="reports changes outside Terraform (emulator noise; see terraform-plan.log)" ;;
  *) tail -n 30 "$results/terraform-plan.log" >&2; die "terraform plan -refresh-only failed ($tf_rc)" ;;
esac

# --- 5. Report -----------------------------------------------------------------------------------
# Per-service and per-operation breakdown from the emulator side.
breakdown() { # file
  awk '{svc[$1]++; op[$1" "$2]++; t++} END {
    for (s in svc) printf "    %-6s %6d\n", s, svc[s] | "sort -k2,2nr"; close("sort -k2,2nr");
  }' "$1"
}
top_ops() { # file count
  sort "$1" | uniq -c | sort -k1,1nr | head -n "$2" | awk '{printf "    %6d  %s %s\n", $1, $2, $3}'
}

plumb_calls_best=${plumb_calls[$((best - 1))]}
cross_ok=yes
for i in 0 1 2; do
  [ "${plumb_calls[$i]}" = "${plumb_self[$i]}" ] || cross_ok=no
done
call_log_count=$(wc -l <"$results/plumb-calls-$best.txt" | tr -d ' ')
[ "$call_log_count" = "$plumb_calls_best" ] || cross_ok=no

report="$results/summary.txt"
targets=0
python3 - "$n" "$plumb_best_ms" "$plumb_calls_best" "$tf_ms" "$tf_calls" "$apply_ms" >"$report" <<'PY' || targets=$?
import sys
n, pms, pcalls, tms, tcalls, ams = map(int, sys.argv[1:])
speed = tms / pms if pms else float("inf")
call_share = pcalls / tcalls if tcalls else float("inf")
rows = [
    ("", "time", "API calls", "calls/resource"),
    ("plumb scan (best of 3)", f"{pms / 1000:.2f} s", str(pcalls), f"{pcalls / n:.2f}"),
    ("terraform plan -refresh-only", f"{tms / 1000:.2f} s", str(tcalls), f"{tcalls / n:.2f}"),
]
w = [max(len(r[i]) for r in rows) for i in range(4)]
for r in rows:
    print(f"  {r[0]:<{w[0]}}  {r[1]:>{w[1]}}  {r[2]:>{w[2]}}  {r[3]:>{w[3]}}")
print()
print(f"  N = {n} resources (terraform apply took {ams / 1000:.0f} s)")
print(f"  speed: terraform/plumb = {speed:.1f}x        target >= 20x     {'PASS' if speed >= 20 else 'FAIL'}")
print(f"  calls: plumb/terraform = {call_share:.3f} (1/{(1 / call_share) if call_share else float('inf'):.1f})  "
      f"target <= 1/5     {'PASS' if call_share <= 0.2 else 'FAIL'}")
sys.exit(0 if speed >= 20 and call_share <= 0.2 else 3)
PY
{
  echo
  echo "  plumb runs: ${plumb_calls[*]} requests at the emulator; plumb -v counted ${plumb_self[*]}  (cross-check: $cross_ok)"
  echo "  ${plumb_v_summary:-plumb -v printed no call summary}"
  echo "  terraform: $tf_calls requests in the emulator's log, $(wc -l <"$results/terraform-calls.txt" | tr -d ' ') in the call log"
  echo "  terraform refresh-only plan: $tf_outcome"
  echo
  echo "  requests per service (emulator side):"
  echo "   plumb:"; breakdown "$results/plumb-calls-$best.txt"
  echo "   terraform:"; breakdown "$results/terraform-calls.txt"
  echo
  echo "  terraform's most frequent operations:"; top_ops "$results/terraform-calls.txt" 12
  echo "  plumb's operations:"; top_ops "$results/plumb-calls-$best.txt" 30
} >>"$report"
sort "$results/terraform-calls.txt" | uniq -c | sort -k1,1nr >"$results/terraform-ops.txt"
sort "$results/plumb-calls-$best.txt" | uniq -c | sort -k1,1nr >"$results/plumb-ops.txt"

echo
echo "Plumb vs terraform plan -refresh-only, N=$n, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "(load average before the timed runs: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg); other work on the machine skews the times)"
echo
cat "$report"
echo
echo "Details: $results/ (summary.txt, *-ops.txt, plumb-v-*.log, plumb-report.json, terraform-plan.log)"
[ "$cross_ok" = yes ] || echo "bench: warning: the emulator's request count and plumb -v's count differ (see above)" >&2
exit "$targets"
