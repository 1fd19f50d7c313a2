#!/usr/bin/env bash
# Regenerates src/schema/aws_v5.json: the slice of `terraform providers schema -json` for
# the resource types Plumb reads (attribute types, optional/computed/sensitive, block
# nesting). Descriptions are dropped to keep the file small.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/tf-env.sh"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cat > "$work/main.tf" <<'TF'
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "5.100.0" }
  }
}
TF
(cd "$work" && terraform init -input=false >/dev/null && terraform providers schema -json > schema.json)
python3 - "$work/schema.json" "$root/src/schema/aws_v5.json" "$root/src/schema/types.txt" <<'PY'
import json, sys
src, dst, types_file = sys.argv[1:4]
types = [t.strip() for t in open(types_file) if t.strip() and not t.startswith('#')]
full = json.load(open(src))["provider_schemas"]["registry.terraform.io/hashicorp/aws"]["resource_schemas"]
def trim(block):
    out = {}
    attrs = {}
    for name, a in block.get("attributes", {}).items():
        attrs[name] = {k: a[k] for k in ("type", "optional", "required", "computed", "sensitive") if k in a}
    if attrs: out["attributes"] = attrs
    bts = {}
    for name, b in block.get("block_types", {}).items():
        bts[name] = {k: b[k] for k in ("nesting_mode", "min_items", "max_items") if k in b}
        bts[name]["block"] = trim(b["block"])
    if bts: out["block_types"] = bts
    return out
res = {t: trim(full[t]["block"]) for t in types}
json.dump({"provider": "registry.terraform.io/hashicorp/aws", "version": "5.100.0", "resource_schemas": res},
          open(dst, "w"), indent=1, sort_keys=True)
print(f"wrote {len(res)} resource schemas to {dst}")
PY
