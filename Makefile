# Plumb developer tasks. `make test` is what CI runs (.ci/run).
SHELL := /bin/bash
.PHONY: build test fuzz fuzz-smoke demo bench bench-accounts bench-full bench-ledger bench-rules bench-attribution schema goldens deps lint rules-docs checkov-agreement bench-check

build:
	cargo build

# Installs the emulator (moto) when absent, then runs unit and end-to-end tests.
# Each end-to-end test starts its own moto_server on a free loopback port and stops it.
test: deps
	scripts/check-shared-build.sh
	scripts/test.sh
	$(MAKE) --no-print-directory fuzz-smoke

# Every parser of untrusted input fuzzed for PLUMB_FUZZ_SECS seconds each (default 120), by the
# fuzz/ crate, which Plumb's own build never compiles. `fuzz-smoke` (part of `make test`) runs
# the same targets for 2 s each after replaying their corpora. Failing inputs land in the
# build directory's tmp/fuzz/ (docs/robustness.md). It builds into Plumb's own target directory:
# its dependencies resolve to the same features, so the AWS SDK is not compiled a second time
# (only plumb and plumb-fuzz are).
fuzz:
	CARGO_TARGET_DIR=$${CARGO_TARGET_DIR:-$(CURDIR)/target} PLUMB_FUZZ_SECS=$${PLUMB_FUZZ_SECS:-120} cargo test --manifest-path fuzz/Cargo.toml --test fuzz -- --test-threads=2 --nocapture

fuzz-smoke:
	CARGO_TARGET_DIR=$${CARGO_TARGET_DIR:-$(CURDIR)/target} PLUMB_FUZZ_SECS=$${PLUMB_FUZZ_SECS:-2} cargo test --manifest-path fuzz/Cargo.toml --test fuzz -- --test-threads=2

deps:
	@python3 -c 'import moto, flask' 2>/dev/null || python3 -m pip install --quiet 'moto[server]==5.2.1'
	@python3 -c 'import py_ocsf_models' 2>/dev/null || python3 -m pip install --quiet 'py-ocsf-models==0.10.0'
	@command -v terraform >/dev/null || { echo "terraform not found on PATH" >&2; exit 1; }

# The main job on a fresh machine: emulator, sample stack, out-of-band change, scan report.
demo: deps
	scripts/demo.sh

# Side-by-side with `terraform plan -refresh-only` on a generated stack (N=300; bench-full: N=1000).
bench: deps
	scripts/bench.sh 300

bench-full: deps
	scripts/bench.sh 1000

# Many accounts in one process: 10 accounts x 2 regions of the bench stack, one run against
# each account alone (debug build; PLUMB_BIN=path for another). Figures in docs/benchmarks.md.
bench-accounts: deps
	cargo build
	scripts/bench-accounts.sh 10 30

# The evidence ledger: 365 nightly runs of a 5,000-resource estate on SQLite and PostgreSQL;
# times `history`, `report` and `ledger verify` (figures in docs/ledger.md).
bench-ledger:
	scripts/ledger-bench.sh 365 5000

# The full baseline over 100,000 generated resources: time and peak memory (docs/benchmarks.md).
bench-rules:
	nice -n 19 cargo bench --bench rules

# CloudTrail attribution: `plumb blame` over a month of logs with 100k and 1M records; wall
# time and peak RSS (release build; PROFILE=debug for the debug one). Figures in docs/attribution.md.
bench-attribution:
	scripts/attribution-bench.sh 100000 1000000

schema:
	scripts/gen-schema.sh

goldens: deps
	scripts/capture-goldens.sh

lint:
	cargo clippy --all-targets -- -D warnings

# docs/rules/ from the rules' metadata (tests/rules_docs.rs fails when it is stale).
rules-docs:
	cargo run --quiet -- rules generate-docs docs/rules

# Plumb vs checkov on testdata/checkov-corpus (checkov in a venv under target/).
checkov-agreement:
	scripts/checkov-agreement.sh

# `plumb check` timed against checkov on the corpus and on 50 copies of it (docs/benchmarks.md).
bench-check:
	scripts/check-bench.sh 50
