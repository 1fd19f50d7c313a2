#!/usr/bin/env bash
# Many accounts in one process: `plumb scan --config` over A accounts x 2 regions of the bench
# stack on one emulator, against each account scanned alone. See docs/benchmarks.md and
# docs/scale.md (the capacity model uses these figures).
#
#   scripts/bench-accounts.sh [A] [N]   # A accounts (default 10, 2..50), N resources per
#                                       # account and region (default 30, a multiple of 15)
#
# Steps: patched moto with a per-request call log (scripts/bench/moto_counting.py); an AWS
# Organization with A-1 member accounts (the management account is the A-th); the bench stack
# (scripts/bench/stack, with each bucket name made unique and the provider assuming the
# member's OrganizationAccountAccessRole) applied by real Terraform in every account and both
# regions (us-east-1, eu-west-1); then
#   0. one untimed run of all accounts (the emulator sets up each account's backends lazily);
#   1. each account alone (a one-estate file): wall time and API calls per account;
#   2. all accounts in one run, account_concurrency = A (best of 3);
#   3. all accounts in one run, account_concurrency = 1 (the sum, for comparison).
# Every run must be complete with every state resource in_sync, or the figures are void.
#
# Environment:
#   PLUMB_BIN=path   the plumb binary (default target/debug/plumb, built by `cargo build`)
#   BENCH_KEEP=1     keep the working directory
# Results: target/bench/accounts-A/summary.txt and the reports next to it.
set -euo pipefail

accounts=${1:-10}
per=${2:-30}
if ! [[ $accounts =~ ^[0-9]+$ ]] || [ "$accounts" -lt 2 ] || [ "$accounts" -gt 50 ]; then
  echo "usage: $0 [ACCOUNTS 2..50] [N per account and region, multiple of 15]" >&2; exit 2
fi
if ! [[ $per =~ ^[0-9]+$ ]] || [ "$per" -lt 15 ] || [ $((per % 15)) -ne 0 ]; then
  echo "usage: $0 [ACCOUNTS] [N: a multiple of 15]" >&2; exit 2
fi
units=$((per / 15))
regions=(us-east-1 eu-west-1)

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'bench-accounts: %s\n' "$*" >&2; exit 1; }
now_ms() { date +%s%3N; }

plumb=${PLUMB_BIN:-$root/target/debug/plumb}
[ -x "$plumb" ] || die "no plumb binary at $plumb (cargo build, or set PLUMB_BIN)"
build=debug
case "$plumb" in *release*) build=release ;; esac

mkdir -p "$root/target/bench"
work=$(mktemp -d "$root/target/bench/accounts.XXXXXX")
results="$root/target/bench/accounts-$accounts"
moto_pid=""
cleanup() {
  local code=$?
  if [ -n "$moto_pid" ]; then
    kill "$moto_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$moto_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$moto_pid" 2>/dev/null || true
    wait "$moto_pid" 2>/dev/null || true
  fi
  if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "bench-accounts: kept $work" >&2; else rm -rf "$work"; fi
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
rm -rf "$results"
mkdir -p "$results"

# --- emulator --------------------------------------------------------------------------------
call_log="$work/calls.log"
: >"$call_log"
url=""
for _attempt in 1 2 3; do
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
  BENCH_CALL_LOG="$call_log" python3 scripts/bench/moto_counting.py --exit-with-parent -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
  moto_pid=$!
  for _ in $(seq 1 150); do
    kill -0 "$moto_pid" 2>/dev/null || break
    if python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/moto-api/', timeout=1)" 2>/dev/null; then
      url="http://127.0.0.1:$port"; break
    fi
    sleep 0.1
  done
  [ -n "$url" ] && break
  kill "$moto_pid" 2>/dev/null || true; wait "$moto_pid" 2>/dev/null || true; moto_pid=""
done
[ -n "$url" ] || { cat "$work/moto.log" >&2; die "the emulator did not start"; }
say "emulator at $url"

export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1
export AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_DEFAULT_PROFILE AWS_ENDPOINT_URL PLUMB_LEDGER PLUMB_RUN_ID

# --- the organisation: "<name> <id>" per line, the management account first ---------------------
python3 - "$url" "$accounts" >"$work/accounts.txt" <<'PY'
import sys, boto3
url, n = sys.argv[1], int(sys.argv[2])
org = boto3.client("organizations", endpoint_url=url, region_name="us-east-1")
org.create_organization(FeatureSet="ALL")
print("mgmt", boto3.client("sts", endpoint_url=url, region_name="us-east-1").get_caller_identity()["Account"])
for i in range(1, n):
    out = org.create_account(AccountName=f"member-{i:02d}", Email=f"member-{i:02d}@example.com")
    print(f"member-{i:02d}", out["CreateAccountStatus"]["AccountId"])
PY
say "organisation: $(wc -l <"$work/accounts.txt") accounts"

# --- the bench stack in every account and region ------------------------------------------------
source scripts/tf-env.sh
mkdir -p "$work/template"
cp scripts/bench/stack/*.tf "$work/template/"
# Bucket names are global: make them unique per account and region.
sed -i 's/"plumb-bench-\${count.index}"/"plumb-bench-${var.bucket_prefix}-${count.index}"/' "$work/template/main.tf"
grep -q 'var.bucket_prefix' "$work/template/main.tf" || die "could not make the bucket names unique"
cat >>"$work/template/main.tf" <<'TF'

variable "bucket_prefix" {
  type = string
}
TF
# A member account is applied through the role Organizations made there.
python3 - "$work/template/providers.tf" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read()
s = s.replace('variable "region" {', 'variable "role_arn" {\n  type    = string\n  default = ""\n}\n\nvariable "region" {', 1)
s = s.replace("  endpoints {", '  dynamic "assume_role" {\n    for_each = var.role_arn == "" ? [] : [var.role_arn]\n    content {\n      role_arn     = assume_role.value\n      session_name = "terraform"\n    }\n  }\n\n  endpoints {', 1)
open(p, "w").write(s)
PY
(cd "$work/template" && terraform init -input=false -no-color >"$work/init.log" 2>&1) || { cat "$work/init.log" >&2; die "terraform init failed"; }

apply_one() { # name id region
  local name=$1 id=$2 region=$3 dir="$work/stacks/$1-$3" role=""
  [ "$name" = mgmt ] || role="arn:aws:iam::$id:role/OrganizationAccountAccessRole"
  mkdir -p "$dir"
  cp "$work/template/"*.tf "$dir/"
  cp "$work/template/.terraform.lock.hcl" "$dir/"
  # One initialised data directory (providers) for every apply; each keeps its own state.
  (cd "$dir" && TF_DATA_DIR="$work/template/.terraform" terraform apply -auto-approve -input=false -no-color -parallelism=10 \
    -var "endpoint=$url" -var "region=$region" -var "units=$units" -var "extra_volumes=0" \
    -var "bucket_prefix=$id-$region" -var "role_arn=$role" >"$dir/apply.log" 2>&1) \
    || { tail -n 30 "$dir/apply.log" >&2; return 1; }
}
say "terraform apply: $accounts accounts x ${#regions[@]} regions x $per resources, 4 at a time"
t0=$(now_ms)
pids=()
while read -r name id; do
  for region in "${regions[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge 5 ]; do sleep 0.5; done  # the emulator + 4 applies
    apply_one "$name" "$id" "$region" &
    pids+=($!)
  done
done <"$work/accounts.txt"
for p in "${pids[@]}"; do wait "$p" || die "an apply failed"; done
say "applied in $(( ($(now_ms) - t0) / 1000 )) s"

# --- estates files ---------------------------------------------------------------------------
estate_block() { # name id
  local name=$1 id=$2
  printf '\n[[estate]]\nname = "%s"\naccount_id = "%s"\nstates = ["%s", "%s"]\n' "$name" "$id" \
    "$work/stacks/$name-us-east-1/terraform.tfstate" "$work/stacks/$name-eu-west-1/terraform.tfstate"
  [ "$name" = mgmt ] || printf 'role_arn = "arn:aws:iam::%s:role/OrganizationAccountAccessRole"\n' "$id"
}
config() { # file concurrency [only-name]
  local file=$1 conc=$2 only=${3:-} name id
  {
    printf 'version = 1\n\n[scan]\nregions = ["us-east-1", "eu-west-1"]\naccount_concurrency = %s\n' "$conc"
    while read -r name id; do
      if [ -z "$only" ] || [ "$only" = "$name" ]; then estate_block "$name" "$id"; fi
    done <"$work/accounts.txt"
  } >"$file"
}

calls() { wc -l <"$call_log" | tr -d ' '; }
# Peak memory of each scan, when GNU time is there.
timer=""
[ -x /usr/bin/time ] && timer="/usr/bin/time -f %M -o $work/rss"
rss_kb() { if [ -n "$timer" ]; then tail -n 1 "$work/rss"; else echo 0; fi; }
# Run plumb; print "ms calls"; the run must be complete with every state resource in_sync.
scan() { # label config
  local label=$1 conf=$2 before after t0 ms rc
  sleep 0.3; before=$(calls)
  t0=$(now_ms)
  set +e
  $timer "$plumb" -v scan --config "$conf" --endpoint-url "$url" --format json --fail-on none --no-fail-on-drift \
    >"$results/$label.json" 2>"$results/$label.log" </dev/null
  rc=$?
  set -e
  ms=$(( $(now_ms) - t0 ))
  sleep 0.3; after=$(calls)
  python3 - "$results/$label.json" "$rc" <<'PY' || { tail -n 20 "$results/$label.log" >&2; die "$label: the scan is not clean"; }
import json, sys
r = json.load(open(sys.argv[1]))
bad = [x for x in r["resources"] if x.get("address") and x["status"] != "in_sync"]
problems = []
if sys.argv[2] != "0": problems.append(f"exit {sys.argv[2]}")
if not r.get("complete"): problems.append("incomplete: " + "; ".join(f"{e.get('account')} {e['service']} {e['code']}" for e in r["errors"][:5]))
if bad: problems.append(f"{len(bad)} managed resources not in_sync: " + ", ".join(f"{x.get('account')} {x['address']} {x['status']}" for x in bad[:5]))
if r["summary"].get("missing"): problems.append(f"missing {r['summary']['missing']}")
if problems: sys.exit("; ".join(problems))
PY
  echo "$ms $((after - before)) $(rss_kb)"
}

# --- 1. each account alone ------------------------------------------------------------------
# One untimed run first: the emulator builds each account's and region's backends on first use.
config "$work/all.toml" "$accounts"
config "$work/serial.toml" 1
scan warmup "$work/all.toml" >/dev/null
say "each account alone"
: >"$results/alone.txt"
while read -r name id; do
  config "$work/alone-$name.toml" 1 "$name"
  read -r ms n rss < <(scan "alone-$name" "$work/alone-$name.toml")
  echo "$name $id $ms $n $rss" >>"$results/alone.txt"
  say "  $name: $(awk -v m="$ms" 'BEGIN{printf "%.2f", m/1000}') s, $n API calls"
done <"$work/accounts.txt"

# --- 2. all at once; 3. one at a time ---------------------------------------------------------
best=""; best_calls=""; best_rss=0
for i in 1 2 3; do
  read -r ms n rss < <(scan "all-$i" "$work/all.toml")
  say "all $accounts accounts, concurrency $accounts, run $i: $(awk -v m="$ms" 'BEGIN{printf "%.2f", m/1000}') s, $n API calls"
  if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; best_calls=$n; best_rss=$rss; fi
done
read -r serial_ms serial_calls serial_rss < <(scan serial "$work/serial.toml")
say "all $accounts accounts, concurrency 1: $(awk -v m="$serial_ms" 'BEGIN{printf "%.2f", m/1000}') s"

resources=$(python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(sum(1 for x in r['resources'] if x.get('address')))" "$results/all-1.json")
python3 - "$results/alone.txt" "$best" "$best_calls" "$serial_ms" "$accounts" "$per" "$resources" "$best_rss" "$serial_rss" "$build" "$(nproc)" \
  >"$results/summary.txt" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
best, best_calls, serial, accounts, per, resources, best_rss, serial_rss = map(int, sys.argv[2:10])
build, cores = sys.argv[10], sys.argv[11]
alone = [int(r[2]) for r in rows]
calls = [int(r[3]) for r in rows]
slowest, total = max(alone), sum(alone)
print(f"{accounts} accounts x 2 regions x {per} resources ({resources} managed resources judged), {build} build, {cores} cores")
print()
print(f"  each account alone:     slowest {slowest / 1000:.2f} s, median {sorted(alone)[len(alone) // 2] / 1000:.2f} s, sum {total / 1000:.2f} s")
print(f"  API calls per account:  {min(calls)}..{max(calls)} (mean {sum(calls) / len(calls):.0f}); {sum(calls)} in all")
print(f"  one run, concurrency {accounts}: {best / 1000:.2f} s (best of 3), {best_calls} API calls"
      f"  = {best / slowest:.2f}x the slowest account, {best / total:.2f}x the sum")
print(f"  one run, concurrency 1:  {serial / 1000:.2f} s  = {serial / total:.2f}x the sum")
rss_alone = [int(r[4]) for r in rows]
if best_rss:
    print(f"  peak memory: one account alone {max(rss_alone) / 1024:.0f} MB (largest); all at once {best_rss / 1024:.0f} MB; one at a time {serial_rss / 1024:.0f} MB")
print(f"  throughput, one process: {accounts * 3600_000 / best:.0f} accounts/hour at the emulator's speed")
print()
print("  per account (alone): name id ms calls peak-kB")
for r in rows:
    print("   ", *r)
PY
echo
cat "$results/summary.txt"
echo
echo "Details: $results/"
