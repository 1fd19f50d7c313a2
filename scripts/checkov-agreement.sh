#!/usr/bin/env bash
# Plumb vs checkov on testdata/checkov-corpus, per overlapping check (issue 3).
#
# Installs checkov (pinned) into a venv under target/, runs it on the corpus, runs
# `plumb check testdata/checkov-corpus --format json` (the real HCL loader, config view) on
# the same files, and compares verdicts resource by resource for every HS rule that has
# checkov counterparts (the CKV ids of shared/research/baseline_rules.md). Prints a summary
# and writes target/checkov-agreement/report.md; the measured figures and the deliberate
# differences are recorded in docs/rules/checkov-agreement.md.
#
# PLUMB_BIN=path uses a given plumb binary; by default the debug one is built with
# `cargo test --no-run --test check` (the test target builds the binary too).
set -euo pipefail
cd "$(dirname "$0")/.."

CHECKOV_VERSION=3.3.30
OUT=target/checkov-agreement
VENV=target/checkov-venv
mkdir -p "$OUT"

if ! "$VENV/bin/checkov" --version 2>/dev/null | grep -qx "$CHECKOV_VERSION"; then
    echo "installing checkov $CHECKOV_VERSION into $VENV" >&2
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet "checkov==$CHECKOV_VERSION"
fi

# checkov exits 1 when a check fails; that is the point of the corpus. BC_SKIP_MAPPING and
# --skip-download keep it offline (it otherwise fetches guideline links from Prisma Cloud).
BC_SKIP_MAPPING=TRUE "$VENV/bin/checkov" -d testdata/checkov-corpus --framework terraform \
    -o json --compact --skip-download >"$OUT/checkov.json" 2>"$OUT/checkov.log" || true

PLUMB=${PLUMB_BIN:-target/debug/plumb}
if [ -z "${PLUMB_BIN:-}" ]; then
    cargo test --quiet --no-run --test check >"$OUT/build.log" 2>&1 || { cat "$OUT/build.log" >&2; exit 1; }
fi
# Exit 1 means findings (expected); 2 is an input or operational error.
rc=0
"$PLUMB" check testdata/checkov-corpus --format json >"$OUT/plumb.json" 2>"$OUT/plumb.log" || rc=$?
if [ "$rc" -gt 1 ]; then
    cat "$OUT/plumb.log" >&2
    exit 1
fi

python3 - "$OUT" <<'PY'
import json, sys
from collections import defaultdict

out = sys.argv[1]
# HS rule -> checkov checks that test the same thing (research table, §1).
MAPPING = {
    "HS-S3-001": ["CKV_AWS_145"], "HS-S3-003": ["CKV_AWS_21"],
    "HS-S3-004": ["CKV2_AWS_6", "CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56"],
    "HS-S3-007": ["CKV_AWS_18"], "HS-S3-008": ["CKV2_AWS_65"],
    "HS-KMS-001": ["CKV_AWS_7"], "HS-KMS-004": ["CKV_AWS_33"],
    "HS-RDS-001": ["CKV_AWS_16", "CKV_AWS_96"], "HS-RDS-002": ["CKV_AWS_327"],
    "HS-RDS-003": ["CKV_AWS_157"], "HS-RDS-004": ["CKV_AWS_133"],
    "HS-RDS-005": ["CKV_AWS_293", "CKV_AWS_139"], "HS-RDS-006": ["CKV_AWS_17"],
    "HS-RDS-007": ["CKV_AWS_129", "CKV_AWS_324"], "HS-RDS-008": ["CKV2_AWS_69"],
    "HS-EBS-001": ["CKV_AWS_3"], "HS-EBS-002": ["CKV_AWS_106"],
    "HS-EC2-001": ["CKV_AWS_79"], "HS-EC2-002": ["CKV_AWS_8"], "HS-EC2-003": ["CKV_AWS_88"],
    "HS-NET-001": ["CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260", "CKV_AWS_277"],
    "HS-NET-002": ["CKV_AWS_24", "CKV_AWS_25"],
    "HS-VPC-001": ["CKV2_AWS_11"], "HS-VPC-002": ["CKV_AWS_130"], "HS-VPC-003": ["CKV2_AWS_12"],
    "HS-CT-001": ["CKV_AWS_67"], "HS-CT-002": ["CKV_AWS_36"], "HS-CT-003": ["CKV_AWS_35"],
    "HS-CT-004": ["CKV2_AWS_10"],
    "HS-LOG-001": ["CKV_AWS_158"], "HS-LOG-002": ["CKV_AWS_338"],
    "HS-GD-001": ["CKV_AWS_238"],
    "HS-EKS-001": ["CKV_AWS_58"], "HS-EKS-002": ["CKV_AWS_39"], "HS-EKS-003": ["CKV_AWS_37"],
    "HS-EKS-004": ["CKV_AWS_100"],
    "HS-ECA-001": ["CKV_AWS_29"], "HS-ECA-002": ["CKV_AWS_30"], "HS-ECA-003": ["CKV_AWS_31"],
    "HS-IAM-001": ["CKV_AWS_62", "CKV_AWS_274"], "HS-IAM-002": ["CKV_AWS_40"],
    "HS-IAM-003": ["CKV_AWS_348"],
    "HS-TLS-001": ["CKV_AWS_103"], "HS-TLS-002": ["CKV_AWS_2"],
}

reports = json.load(open(f"{out}/checkov.json"))
reports = reports if isinstance(reports, list) else [reports]
# check id -> resource -> failed?
ckv = defaultdict(dict)
for rep in reports:
    for kind, failed in (("passed_checks", False), ("failed_checks", True)):
        for c in rep["results"].get(kind, []):
            res = c["resource"]
            ckv[c["check_id"]][res] = ckv[c["check_id"]].get(res, False) or failed

doc = json.load(open(f"{out}/plumb.json"))
plumb = doc["findings"]
# `resources[].owner`: the resource owning the joined view a split resource is judged in
# (the bucket of its encryption configuration, the group of its rule resources).
owners = {r["address"]: r["owner"] for r in doc["resources"] if r.get("owner")}
owner = lambda address: owners.get(address, address)

# Verdicts per real thing (the joined view's owner): checkov reports a bucket's missing
# public access block on the bucket or on the block resource depending on the check, Plumb
# on the resource that expresses the setting; both map to the bucket here.
rows, agree, total, diffs, unjudged = [], 0, 0, [], []
for hs, checks in MAPPING.items():
    evaluated = {}
    for c in checks:
        for res, failed in ckv.get(c, {}).items():
            evaluated[owner(res)] = evaluated.get(owner(res), False) or failed
    if not evaluated:
        rows.append((hs, checks, 0, 0, "checkov evaluated nothing in the corpus"))
        continue
    plumb_failed = {owner(f["address"]) for f in plumb if f["rule_id"] == hs and f["address"]}
    n_agree = 0
    for res, failed in sorted(evaluated.items()):
        mine = res in plumb_failed
        if mine == failed:
            n_agree += 1
        else:
            diffs.append((hs, "/".join(checks), res, "FAIL" if failed else "pass", "FAIL" if mine else "pass"))
    # Plumb findings on things checkov has no verdict on for these checks: not counted in
    # the agreement, listed so that none goes unexplained.
    unjudged += [(hs, "/".join(checks), res) for res in sorted(plumb_failed - evaluated.keys())]
    agree += n_agree
    total += len(evaluated)
    rows.append((hs, checks, n_agree, len(evaluated), ""))

lines = ["# Plumb vs checkov on testdata/checkov-corpus", "",
         f"Agreement: {agree}/{total} resource verdicts ({100.0 * agree / max(total, 1):.1f}%).", "",
         "Verdicts are compared per real thing: the owner of the joined view a resource belongs to.", "",
         "| HS rule | checkov | agree | note |", "|---|---|---|---|"]
for hs, checks, a, n, note in rows:
    lines.append(f"| {hs} | {', '.join(checks)} | {a}/{n} | {note} |")
lines += ["", "## Disagreements", "", "| HS rule | checkov | resource | checkov | Plumb |", "|---|---|---|---|---|"]
for d in diffs:
    lines.append("| " + " | ".join(d) + " |")
lines += ["", "## Plumb findings on things checkov did not judge for the rule", "",
          "| HS rule | checkov | resource |", "|---|---|---|"]
for u in unjudged:
    lines.append("| " + " | ".join(u) + " |")
open(f"{out}/report.md", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
