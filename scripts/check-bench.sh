#!/usr/bin/env bash
# `plumb check DIR` timed against `checkov -d DIR` on the same Terraform code (issue 4): a
# benchmark, not a test. Usage: scripts/check-bench.sh [COPIES] (default 50).
#
# Two directories: testdata/checkov-corpus (71 resources) and a generated one under
# target/check-bench/ holding COPIES renamed copies of it side by side (50 copies: 3,550
# resources): every resource name gets a `_cNN` suffix, every reference follows, and the
# `corpus-` names (buckets, DB identifiers, ...) become `corpus-cNN-`, so that both tools see
# COPIES independent copies of the same things in one root module. Each tool runs three
# times per directory with its default output to /dev/null; the best wall-clock time (date,
# in nanoseconds) and the largest peak RSS (GNU time's %M: the largest single process, not a
# sum over checkov's worker processes) are reported, with the ratio checkov/plumb.
#
# Plumb: the debug binary by default (built with `cargo test --no-run --test check`, which
# builds the binary too; a release build takes ~30 minutes here), or PLUMB_BIN=path.
# checkov: pinned, in the venv scripts/checkov-agreement.sh uses (installed when absent),
# offline (BC_SKIP_MAPPING=TRUE, --skip-download). Results: target/check-bench/report.md.
set -euo pipefail
cd "$(dirname "$0")/.."

COPIES=${1:-50}
RUNS=3
CHECKOV_VERSION=3.3.30
OUT=target/check-bench
VENV=target/checkov-venv
mkdir -p "$OUT"

if ! "$VENV/bin/checkov" --version 2>/dev/null | grep -qx "$CHECKOV_VERSION"; then
    echo "installing checkov $CHECKOV_VERSION into $VENV" >&2
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet "checkov==$CHECKOV_VERSION"
fi

if [ -n "${PLUMB_BIN:-}" ]; then
    PLUMB=$PLUMB_BIN
    BUILD="given binary ($PLUMB_BIN)"
else
    cargo test --quiet --no-run --test check >"$OUT/build.log" 2>&1 || { cat "$OUT/build.log" >&2; exit 1; }
    PLUMB=target/debug/plumb
    BUILD="debug (target/debug/plumb)"
fi

TIME=/usr/bin/time
if ! "$TIME" -f %e true 2>/dev/null; then
    echo "GNU time (/usr/bin/time) is needed for wall-clock and peak RSS" >&2
    exit 1
fi

# The generated corpus: regenerated each run (cheap), so that it follows the corpus.
BIG="$OUT/corpus-x$COPIES"
rm -rf "$BIG"
python3 - testdata/checkov-corpus "$BIG" "$COPIES" <<'PY'
import os, re, sys

src, dst, copies = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.makedirs(dst)
files = sorted(f for f in os.listdir(src) if f.endswith(".tf"))
texts = {f: open(os.path.join(src, f)).read() for f in files}
names = sorted({m for t in texts.values() for m in re.findall(r'resource\s+"(\w+)"\s+"(\w+)"', t)})
for i in range(1, copies + 1):
    tag = f"c{i:02d}"
    for f, t in texts.items():
        t = re.sub(r'(resource\s+"\w+"\s+")(\w+)"', lambda m: f'{m.group(1)}{m.group(2)}_{tag}"', t)
        for typ, name in names:
            t = re.sub(rf"\b{typ}\.{name}\b", f"{typ}.{name}_{tag}", t)
        t = t.replace('"corpus-', f'"corpus-{tag}-')
        open(os.path.join(dst, f"{tag}_{f}"), "w").write(t)
PY

# run LABEL EXPECTED_EXIT CMD...: RUNS timed runs; appends "best_seconds max_rss_kb" to $OUT/LABEL.
run() {
    local label=$1 want=$2
    shift 2
    local best="" cpu="" rss=0 i rc e m c t0 t1
    for i in $(seq "$RUNS"); do
        rc=0
        # Wall clock in nanoseconds around the run (GNU time's %e has 10 ms steps, too coarse
        # for plumb on the small corpus); GNU time for the peak RSS.
        t0=$(date +%s%N)
        "$TIME" -f "%U %S %M" -o "$OUT/time.txt" "$@" >/dev/null 2>"$OUT/$label.stderr" || rc=$?
        t1=$(date +%s%N)
        if [ "$rc" -ne "$want" ]; then
            echo "$label: exit $rc (expected $want)" >&2
            cat "$OUT/$label.stderr" >&2
            exit 1
        fi
        read -r c m <<<"$(tail -n 1 "$OUT/time.txt" | awk '{print $1 + $2, $3}')"
        e=$(python3 -c "print(($t1 - $t0) / 1e9)")
        # CPU time (user + system, children included) of the fastest run.
        if python3 -c "import sys; sys.exit(0 if $e < float('${best:-inf}') else 1)"; then
            best=$e
            cpu=$c
        fi
        [ "$m" -gt "$rss" ] && rss=$m
        echo "  $label run $i: ${e}s wall, ${c}s CPU, peak RSS ${m} KB" >&2
    done
    echo "$best $rss $cpu" >"$OUT/$label.result"
}

export BC_SKIP_MAPPING=TRUE
for dir in testdata/checkov-corpus "$BIG"; do
    key=$(basename "$dir")
    echo "$dir" >&2
    # Exit 1: the corpus has findings, for both tools.
    run "plumb-$key" 1 "$PLUMB" check "$dir"
    run "checkov-$key" 1 "$VENV/bin/checkov" -d "$dir" --framework terraform --skip-download
    # Resource counts (from plumb's JSON) for the table.
    "$PLUMB" check "$dir" --format json 2>/dev/null \
        | python3 -c "import json,sys; d=json.load(sys.stdin); print(d['summary']['resources'], len(d['findings']))" \
            >"$OUT/count-$key" || true
done

# The copies must be independent: COPIES times the corpus's findings, no more, no fewer.
read -r _ small <"$OUT/count-checkov-corpus"
read -r _ big <"$OUT/count-$(basename "$BIG")"
if [ "$big" != "$((small * COPIES))" ]; then
    echo "warning: $big findings on $COPIES copies, expected $((small * COPIES)): copies interfere" >&2
fi

python3 - "$OUT" "$BUILD" "$(nproc)" "$CHECKOV_VERSION" testdata/checkov-corpus "$BIG" <<'PY'
import os, sys, datetime

out, build, cores, ckv = sys.argv[1:5]
dirs = sys.argv[5:]
load = open("/proc/loadavg").read().split()[:3] if os.path.exists("/proc/loadavg") else ["?"] * 3
lines = [
    f"# plumb check vs checkov ({datetime.date.today()}, {cores} cores, load {' '.join(load)})", "",
    f"Plumb build: {build}. checkov {ckv}, offline. Best of 3 wall-clock (CPU time of that run,",
    "user + system); peak RSS of the largest process.", "",
    "| directory | resources | plumb findings | plumb | checkov | checkov/plumb | plumb peak RSS | checkov peak RSS |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
]
for d in dirs:
    key = os.path.basename(d)
    p, pr, pc = open(f"{out}/plumb-{key}.result").read().split()
    c, cr, cc = open(f"{out}/checkov-{key}.result").read().split()
    n, nf = (open(f"{out}/count-{key}").read().split() + ["?", "?"])[:2]
    ratio = float(c) / max(float(p), 1e-3)
    lines.append(f"| `{d}` | {n} | {nf} | {float(p):.3f} s ({float(pc):.2f} s CPU) | {float(c):.2f} s ({float(cc):.2f} s CPU) | {ratio:.0f}x | "
                 f"{int(pr) / 1024:.0f} MB | {int(cr) / 1024:.0f} MB |")
open(f"{out}/report.md", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
