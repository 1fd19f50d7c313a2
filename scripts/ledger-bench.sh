#!/usr/bin/env bash
# Ledger benchmark (not a test): RUNS nightly runs (default 365) of a synthetic estate of
# N resources (default 5000) are recorded with `plumb ledger append` in a SQLite ledger and in
# a throwaway PostgreSQL ledger (scripts/pg.sh); then `history`, `report` and `ledger verify`
# are timed on each. Figures go to docs/ledger.md.
#
#   scripts/ledger-bench.sh [RUNS] [N]        # PROFILE=release to time a release build,
#                                             # PLUMB_BIN=path to time a given binary
#
# The estate: N managed resources over 8 types; each night about 0.5% drift (episodes of a few
# nights), 10 to 20 are unmanaged, a few missing, and ~6% carry a finding (most resolve during
# the year); every run also records its live configuration (8 attribute lines per resource).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-365}
N=${2:-5000}
PROFILE=${PROFILE:-debug}

# Debug: the binary `cargo test` builds (plain `cargo build` resolves other dependency features
# and rebuilds the AWS SDK). PLUMB_BIN=path skips building.
if [[ -n ${PLUMB_BIN:-} ]]; then BIN=$PLUMB_BIN; PROFILE="$PROFILE (given binary)"
elif [[ $PROFILE == release ]]; then cargo build --quiet --release; BIN=$PWD/target/release/plumb
else cargo test --quiet --no-run --test ledger_store; BIN=$PWD/target/debug/plumb; fi
work=$(mktemp -d /tmp/plumb-ledger-bench.XXXXXX)
chmod 755 "$work" # the PostgreSQL server runs as its own user when we are root
pgdir=$work/pg
cleanup() { [[ -d $pgdir ]] && scripts/pg.sh stop "$pgdir" || true; rm -rf "$work"; }
trap cleanup EXIT

cat >"$work/gen.py" <<'EOF'
import json, sys, datetime
day, n, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
types = ["aws_s3_bucket", "aws_vpc", "aws_subnet", "aws_security_group", "aws_instance",
         "aws_db_instance", "aws_kms_key", "aws_iam_role"]
t0 = datetime.datetime(2026, 1, 1, 2, 0, 0) + datetime.timedelta(days=day)
started = t0.strftime("%Y-%m-%dT%H:%M:%SZ")
res, snap, findings = [], [], []
for i in range(n):
    ty = types[i % len(types)]
    addr, rid = f"{ty}.r{i:05d}", f"{ty[4:]}-{i:05d}"
    window = day // 4
    drifted = (i * 7919 + window * 104729) % 200 == 0
    missing = (i * 31 + window) % 4000 == 0
    if missing:
        res.append({"address": addr, "type": ty, "id": rid, "region": "us-east-1", "status": "missing", "changes": []})
        continue
    tags = {"Name": f"r{i}", "Team": f"team-{i % 12}"}
    changes = []
    if drifted:
        changes = [{"path": "tags.Owner", "state": None, "live": "console-user"}]
        tags["Owner"] = "console-user"
        r = {"address": addr, "type": ty, "id": rid, "region": "us-east-1", "status": "drifted", "changes": changes,
             "attribution": [{"actor": f"arn:aws:iam::123456789012:user/u{i % 7}", "channel": "console",
                              "event_name": "CreateTags", "event_time": started, "event_id": f"e-{day}-{i}",
                              "source_ip": "198.51.100.7", "user_agent": "console.amazonaws.com"}]}
    else:
        r = {"address": addr, "type": ty, "id": rid, "region": "us-east-1", "status": "in_sync", "changes": []}
    res.append(r)
    if i % 17 == 0 and day < (i * 13) % 400:
        findings.append({"rule_id": f"HS-{ty[4:7].upper()}-{i % 5:03d}", "severity": ["critical", "high", "medium", "low"][i % 4],
                         "view": "live", "address": addr, "type": ty, "id": rid, "file": "main.tf", "line": 10 + i % 90,
                         "message": f"{ty} {rid} fails a hardening rule", "waived": i % 51 == 0,
                         "controls": {"hipaa": [f"164.312(a)({1 + i % 2})"], "soc2": [f"CC6.{1 + i % 3}"], "gdpr": ["Art. 32"]}})
    lines = [f"  arn = \"arn:aws:{ty[4:]}:us-east-1:123456789012:{rid}\"", f"  id = \"{rid}\"",
             f"  region = \"us-east-1\"", f"  cidr_block = \"10.{i % 256}.0.0/16\"", "  enable_dns = true",
             f"  size = {i % 1000}"]
    lines += [f"  tags.{k} = \"{v}\"" for k, v in sorted(tags.items())]
    snap.append((f"{ty} {rid}  region=us-east-1  address={addr}", sorted(lines)))
for k in range(10 + day % 11):
    res.append({"address": None, "type": "aws_s3_bucket", "id": f"by-hand-{k:02d}", "region": "us-east-1",
                "status": "unmanaged", "changes": []})
    snap.append((f"aws_s3_bucket by-hand-{k:02d}  region=us-east-1  unmanaged", ["  bucket = \"by-hand\""]))
res.sort(key=lambda r: (r["address"] is None, r["address"] or "", r["type"], r["id"]))
count = lambda s: sum(1 for r in res if r["status"] == s)
managed, unmanaged = count("in_sync") + count("drifted"), count("unmanaged")
report = {"schema_version": 1, "tool": {"name": "plumb", "version": "0.1.0"}, "started_at": started,
          "complete": True,
          "summary": {"in_sync": count("in_sync"), "drifted": count("drifted"), "missing": count("missing"),
                      "unmanaged": unmanaged, "coverage_percent": round(1000 * managed / (managed + unmanaged)) / 10,
                      "not_judged": 0, "findings": {"critical": 0, "high": 0, "medium": 0, "low": 0, "waived": 0}},
          "resources": res, "findings": findings, "errors": [], "not_judged": []}
with open(out + ".json", "w") as f:
    json.dump(report, f, separators=(",", ":"))
snap.sort()
with open(out + ".txt", "w") as f:
    f.write(f"# plumb live configuration: {len(snap)} resources\n")
    for h, ls in snap:
        f.write("\n" + h + "\n" + "\n".join(ls) + "\n")
EOF

secs() { python3 -c 'import time; print(time.monotonic())'; }
elapsed() { python3 -c "print(f'{$2 - $1:.2f}')"; }
best_of_3() { # best wall time of three runs of "$@", in seconds
  local best=999999 a b t
  for _ in 1 2 3; do
    a=$(secs); "$@" >/dev/null; b=$(secs)
    t=$(elapsed "$a" "$b"); best=$(python3 -c "print(min($best, $t))")
  done
  echo "$best"
}

python3 "$work/gen.py" 0 "$N" "$work/sample"
echo "one run: report $(du -k "$work/sample.json" | cut -f1) KiB, live configuration $(du -k "$work/sample.txt" | cut -f1) KiB; $RUNS runs of $N resources; $PROFILE build"

pg_url=$(scripts/pg.sh start "$pgdir")
psql_bin=$(scripts/pg.sh bin)/psql
declare -A LEDGER=([sqlite]=$work/ledger.db [postgres]=$pg_url)
declare -A APPEND
for b in sqlite postgres; do APPEND[$b]=0; done

for ((d = 0; d < RUNS; d++)); do
  python3 "$work/gen.py" "$d" "$N" "$work/run"
  for b in sqlite postgres; do
    a=$(secs)
    "$BIN" ledger append --ledger "${LEDGER[$b]}" --report "$work/run.json" --snapshot "$work/run.txt" 2>/dev/null
    z=$(secs)
    APPEND[$b]=$(python3 -c "print(${APPEND[$b]} + $z - $a)")
  done
  ((d % 50 == 0)) && echo "  recorded $((d + 1)) of $RUNS runs"
done

printf '\n%-10s %10s %12s %12s %14s %14s %12s\n' backend size_MiB append_avg history_json history_text report_html verify
for b in sqlite postgres; do
  L=${LEDGER[$b]}
  if [[ $b == sqlite ]]; then size=$(du -m "$L" | cut -f1); else
    size=$("$psql_bin" "$L" -Atc "select pg_total_relation_size('plumb_ledger_records') / 1048576"); fi
  hj=$(best_of_3 "$BIN" history --ledger "$L" --format json)
  ht=$(best_of_3 "$BIN" history --ledger "$L")
  rh=$(best_of_3 "$BIN" report --ledger "$L" --format html --output "$work/report-$b.html")
  a=$(secs); "$BIN" ledger verify --ledger "$L" >/dev/null; z=$(secs); vf=$(elapsed "$a" "$z")
  printf '%-10s %10s %12s %12s %14s %14s %12s\n' "$b" "$size" "$(python3 -c "print(f'{${APPEND[$b]} / $RUNS:.3f}')")" "$hj" "$ht" "$rh" "$vf"
done
echo "(seconds, best of 3 except verify; report: $(du -k "$work/report-sqlite.html" | cut -f1) KiB of HTML)"
