#!/usr/bin/env bash
# What reading the per-instance attributes costs (DescribeInstanceAttribute, four calls per
# instance a state manages): N instances on a fresh patched emulator, scanned with a state that
# manages all of them and with one that manages none of them. Figures in docs/types/network.md.
#
#   scripts/bench-instance-attributes.sh [N]     # N instances (default 200)
#
# PLUMB_BIN=path picks the binary (default target/debug/plumb; build it first). Prints, per
# state, the best wall time of three scans and plumb's own count of API calls (`-v`).
set -euo pipefail

n=${1:-200}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${PLUMB_BIN:-$root/target/debug/plumb}
[ -x "$bin" ] || { echo "no plumb binary at $bin (cargo build, or set PLUMB_BIN)" >&2; exit 1; }
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 "$root/testdata/moto/launch.py" --exit-with-parent -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto=$!
trap 'kill $moto 2>/dev/null || true; rm -rf "$work"' EXIT
url="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -s -o /dev/null "$url/moto-api/" && break; sleep 0.1; done

# N instances in one subnet, and two states: all of them managed, none of them.
python3 - "$url" "$n" "$work" <<'PY'
import json, sys
import boto3
url, n, work = sys.argv[1], int(sys.argv[2]), sys.argv[3]
ec2 = boto3.client("ec2", endpoint_url=url, region_name="us-east-1",
                   aws_access_key_id="test", aws_secret_access_key="test")
vpc = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.40.0.0/20")["Subnet"]["SubnetId"]
ids = []
while len(ids) < n:
    batch = min(100, n - len(ids))
    out = ec2.run_instances(ImageId="ami-1e749f67", InstanceType="t3.micro", MinCount=batch,
                            MaxCount=batch, SubnetId=subnet)
    ids += [i["InstanceId"] for i in out["Instances"]]
def state(resources):
    return {"version": 4, "terraform_version": "1.11.4", "serial": 1, "lineage": "bench",
            "outputs": {}, "resources": resources}
instances = [{"mode": "managed", "type": "aws_instance", "name": "fleet", "provider": "p",
              "instances": [{"index_key": k, "schema_version": 1,
                             "attributes": {"id": i, "arn": f"arn:aws:ec2:us-east-1:123456789012:instance/{i}",
                                            "disable_api_termination": False}}
                            for k, i in enumerate(ids)]}]
vpcs = [{"mode": "managed", "type": "aws_vpc", "name": "bench", "provider": "p",
         "instances": [{"schema_version": 1, "attributes": {"id": vpc,
                        "arn": f"arn:aws:ec2:us-east-1:123456789012:vpc/{vpc}"}}]}]
json.dump(state(instances + vpcs), open(f"{work}/managed.tfstate", "w"))
json.dump(state(vpcs), open(f"{work}/unmanaged.tfstate", "w"))
PY

scan() {
  local state=$1 best=""
  for _ in 1 2 3; do
    local t0 t1 ms
    t0=$(date +%s%N)
    AWS_ENDPOINT_URL=$url AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1 \
      "$bin" -v scan --state "$work/$state.tfstate" --format json >"$work/$state.json" 2>"$work/$state.err" || true
    t1=$(date +%s%N)
    ms=$(((t1 - t0) / 1000000))
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
  done
  local calls attrs
  calls=$(grep -o 'plumb: [0-9]* API calls.*' "$work/$state.err" | tail -1)
  attrs=$(grep -c 'DescribeInstanceAttribute' "$work/$state.err" || true)
  printf '%-10s %5d instances managed  best of 3: %6d ms  %s; DescribeInstanceAttribute: %d\n' \
    "$state" "$([ "$state" = managed ] && echo "$n" || echo 0)" "$best" "$calls" "$attrs"
}
echo "plumb scan over $n instances ($(basename "$bin"), emulator at $url)"
scan unmanaged
scan managed
