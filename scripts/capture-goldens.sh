#!/usr/bin/env bash
# Recapture the golden Terraform states in testdata/tfstate/:
#   <stack>.tfstate              the state right after `terraform apply` on a fresh emulator
#   <stack>.refresh-plan.json    `terraform show -json` of a refresh-only plan taken after the
#                                out-of-band changes listed in testdata/tfstate/README.md
#
#   scripts/capture-goldens.sh [stack ...]      (default: core smoke, the stacks whose
#                                                out-of-band changes are defined below)
#
# Each stack gets its own fresh emulator (moto gives every RDS instance the same DbiResourceId,
# so stacks with a database cannot share one). The database password is the dummy
# `not-a-real-secret-0`, which tests assert never appears in Plumb's output.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/tf-env.sh"
export TF_VAR_db_password="not-a-real-secret-0"
out="$root/testdata/tfstate"
mkdir -p "$out"

if [ $# -gt 0 ]; then
  stacks=("$@")
else
  stacks=(core smoke)
fi

work=$(mktemp -d)
moto_pid=""
cleanup() {
  if [ -n "$moto_pid" ]; then kill "$moto_pid" 2>/dev/null || true; wait "$moto_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

start_moto() {
  local port
  for _attempt in 1 2 3; do
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
    python3 "$root/testdata/moto/launch.py" -H 127.0.0.1 -p "$port" >"$work/moto-$port.log" 2>&1 &
    moto_pid=$!
    for _ in $(seq 1 150); do
      kill -0 "$moto_pid" 2>/dev/null || break
      if python3 -c 'import sys,urllib.request,urllib.error
try: urllib.request.urlopen(sys.argv[1]+"/moto-api/", timeout=1)
except urllib.error.HTTPError: pass' "http://127.0.0.1:$port" 2>/dev/null; then
        endpoint="http://127.0.0.1:$port"
        return 0
      fi
      sleep 0.1
    done
    stop_moto
  done
  echo "capture-goldens: moto did not start" >&2
  exit 1
}

stop_moto() {
  if [ -n "$moto_pid" ]; then kill "$moto_pid" 2>/dev/null || true; wait "$moto_pid" 2>/dev/null || true; fi
  moto_pid=""
}

# Out-of-band changes made between apply and the refresh-only plan, per stack (boto3).
drift() {
  local stack=$1 dir=$2
  python3 - "$stack" "$endpoint" "$dir/terraform.tfstate" <<'PY'
import json, sys
import boto3
from botocore.config import Config

stack, url, state_path = sys.argv[1:4]
kw = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
state = json.load(open(state_path))

def attrs(address):
    for r in state["resources"]:
        base = (r["module"] + "." if "module" in r else "") + r["type"] + "." + r["name"]
        for i in r["instances"]:
            k = i.get("index_key")
            a = base if k is None else base + (f'["{k}"]' if isinstance(k, str) else f"[{k}]")
            if a == address:
                return i["attributes"]
    raise SystemExit(f"{address} not in state")

ec2 = boto3.client("ec2", **kw)
if stack == "core":
    # 1. Someone shortens the database's backup retention in the console.
    rds = boto3.client("rds", **kw)
    rds.modify_db_instance(DBInstanceIdentifier=attrs("aws_db_instance.records")["identifier"],
                           BackupRetentionPeriod=7, ApplyImmediately=True)
    # 2. A tag is added to the VPC.
    ec2.create_tags(Resources=[attrs("aws_vpc.main")["id"]], Tags=[{"Key": "Owner", "Value": "console-user"}])
    # 3. Versioning is suspended on the records bucket.
    s3 = boto3.client("s3", config=Config(s3={"addressing_style": "path"}), **kw)
    s3.put_bucket_versioning(Bucket="clinic-phi-records", VersioningConfiguration={"Status": "Suspended"})
    # 4. RDP is opened to the world on the web security group (inline rules).
    ec2.authorize_security_group_ingress(GroupId=attrs("aws_security_group.web")["id"], IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 3389, "ToPort": 3389, "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "temp"}]}])
    # 5. Key rotation is switched off.
    boto3.client("kms", **kw).disable_key_rotation(KeyId=attrs("aws_kms_key.phi")["key_id"])
elif stack == "smoke":
    ec2.create_tags(Resources=[attrs("aws_vpc.smoke")["id"]], Tags=[{"Key": "Owner", "Value": "console-user"}])
else:
    print(f"capture-goldens: no out-of-band changes defined for stack {stack}", file=sys.stderr)
PY
}

for stack in "${stacks[@]}"; do
  src="$root/testdata/stacks/$stack"
  [ -d "$src" ] || { echo "capture-goldens: no stack $src" >&2; exit 1; }
  dir="$work/$stack"
  mkdir -p "$dir"
  (cd "$src" && tar --exclude=.terraform --exclude='terraform.tfstate*' --exclude=.terraform.lock.hcl -cf - .) | (cd "$dir" && tar -xf -)
  start_moto
  export TF_VAR_endpoint="$endpoint"
  echo "== $stack: applying against $endpoint" >&2
  (cd "$dir" && terraform init -input=false -no-color >"$work/$stack-init.log" 2>&1) ||
    { cat "$work/$stack-init.log" >&2; exit 1; }
  start=$(date +%s)
  (cd "$dir" && terraform apply -auto-approve -input=false -no-color >"$work/$stack-apply.log" 2>&1) ||
    { tail -n 60 "$work/$stack-apply.log" >&2; exit 1; }
  echo "== $stack: applied in $(( $(date +%s) - start )) s" >&2
  cp "$dir/terraform.tfstate" "$out/$stack.tfstate"
  drift "$stack" "$dir"
  (cd "$dir" && terraform plan -refresh-only -input=false -no-color -lock=false -out refresh.plan >"$work/$stack-plan.log" 2>&1) ||
    { tail -n 60 "$work/$stack-plan.log" >&2; exit 1; }
  (cd "$dir" && terraform show -json refresh.plan) | python3 -c 'import json,sys; json.dump(json.load(sys.stdin), sys.stdout, indent=1, sort_keys=True); print()' \
    >"$out/$stack.refresh-plan.json"
  echo "== $stack: wrote testdata/tfstate/$stack.tfstate and $stack.refresh-plan.json" >&2
  stop_moto
done
