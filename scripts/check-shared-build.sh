#!/usr/bin/env bash
# `cargo build` and `cargo test` must share one compilation of every dependency (the AWS SDK
# crates above all: minutes each on two cores). They do when every compilation unit of the
# normal dependency graph (a crate with its features) is also one of the test build's.
# Prints the crates whose features differ and exits 1, else exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."
tree() { cargo tree --quiet --locked -e "$1" --prefix none -f '{p}|{f}' | sed 's/ (\*)$//; s/ (proc-macro)//'; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tree normal,build >"$tmp/build"
tree normal,build,dev >"$tmp/test"
python3 - "$tmp/build" "$tmp/test" <<'PY'
import sys
def units(path):
    out = {}
    for line in open(path):
        name, _, feats = line.strip().partition("|")
        if name:
            out.setdefault(name, set()).add(feats)
    return out
build, test = units(sys.argv[1]), units(sys.argv[2])
bad = [(c, sorted(f - test.get(c, set())), sorted(test.get(c, set()) - f)) for c, f in sorted(build.items())
       if not f <= test.get(c, set())]
if bad:
    print("cargo build and cargo test resolve different features; these crates, and every crate", file=sys.stderr)
    print("above them, compile twice:", file=sys.stderr)
    for c, b, t in bad:
        print(f"  {c}: build {b}, test {t}", file=sys.stderr)
    print("ask for the test build's features in [dependencies] (see the comment there)", file=sys.stderr)
    sys.exit(1)
print("cargo build and cargo test share one compilation of every dependency")
PY
