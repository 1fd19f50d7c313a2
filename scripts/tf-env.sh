#!/usr/bin/env bash
# Source this: points Terraform at the machine's local provider mirror (no registry access
# here) by writing a CLI config into $PLUMB_TF_DIR (default: target/tf).
# The mirror is found at run time; no machine path is hard-coded.
set -euo pipefail
: "${PLUMB_TF_DIR:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/target/tf}"
mkdir -p "$PLUMB_TF_DIR"
if [ -z "${PLUMB_TF_MIRROR:-}" ]; then
  PLUMB_TF_MIRROR=$(find / -maxdepth 4 -name registry.terraform.io -not -path '/proc/*' 2>/dev/null | head -n 1 | xargs -r dirname || true)
fi
if [ -z "$PLUMB_TF_MIRROR" ]; then
  # No local mirror: Terraform installs the provider from the registry (network needed).
  echo "tf-env: no provider mirror (a directory holding registry.terraform.io) found; using the Terraform registry" >&2
  cat > "$PLUMB_TF_DIR/terraformrc.$$" <<CFG
plugin_cache_dir = "$PLUMB_TF_DIR/plugin-cache"
CFG
else
cat > "$PLUMB_TF_DIR/terraformrc.$$" <<CFG
provider_installation {
  filesystem_mirror {
    path    = "$PLUMB_TF_MIRROR"
    include = ["registry.terraform.io/hashicorp/*"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/*"]
  }
}
plugin_cache_dir = "$PLUMB_TF_DIR/plugin-cache"
CFG
fi
# Written aside and renamed: test binaries run this at once while others' Terraform reads it.
mv -f "$PLUMB_TF_DIR/terraformrc.$$" "$PLUMB_TF_DIR/terraformrc"
mkdir -p "$PLUMB_TF_DIR/plugin-cache"
export TF_CLI_CONFIG_FILE="$PLUMB_TF_DIR/terraformrc"
export CHECKPOINT_DISABLE=1
export TF_IN_AUTOMATION=1
