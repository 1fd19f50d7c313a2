#!/usr/bin/env bash
# The main job, on a fresh machine: start the embedded AWS emulator (moto, patched by
# testdata/moto/launch.py), apply a small stack with real Terraform, scan it (in sync),
# change it by hand through the AWS API, scan again (drift and failing hardening rules), record
# both nights in an evidence ledger, show its history and HTML report, and check the stack's
# code as a pull request would. Stops what it started.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
plumb="$root/target/debug/plumb"
# The binary `make test` builds: plain `cargo build` resolves other dependency features and
# would compile the AWS SDK crates a second time.
cargo test --quiet --no-run --test cli_errors

work="$root/target/demo"
rm -rf "$work"; mkdir -p "$work"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
python3 testdata/moto/launch.py -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto_pid=$!
trap 'kill $moto_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  python3 -c "import urllib.request,sys; urllib.request.urlopen('$url/moto-api/', timeout=1)" 2>/dev/null && break
  sleep 0.2
done

export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1 AWS_ENDPOINT_URL="$url"
unset AWS_PROFILE AWS_SESSION_TOKEN
source scripts/tf-env.sh
cp testdata/stacks/demo/*.tf "$work/"
echo "==> terraform apply (emulator at $url)"
(cd "$work" && terraform init -input=false -no-color >/dev/null && TF_VAR_endpoint="$url" terraform apply -auto-approve -input=false -no-color >"$work/apply.log") \
  || { cat "$work/apply.log"; exit 1; }

echo; echo "==> plumb scan, right after apply (recorded in the evidence ledger)"
"$plumb" scan --state "$work/terraform.tfstate" --ledger "$work/evidence.db" || true

echo; echo "==> out-of-band changes: SSH opened to the internet, versioning suspended, key rotation off,"
echo "    a tag edited in the console, a bucket created by hand"
python3 - "$url" <<'PY'
import sys, boto3
kw = dict(endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
ec2, s3, kms = boto3.client("ec2", **kw), boto3.client("s3", **kw), boto3.client("kms", **kw)
sg = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": ["demo-app"]}])["SecurityGroups"][0]["GroupId"]
ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
s3.put_bucket_versioning(Bucket="demo-patient-records", VersioningConfiguration={"Status": "Suspended"})
key = kms.describe_key(KeyId="alias/demo-phi")["KeyMetadata"]["KeyId"]
kms.disable_key_rotation(KeyId=key)
vpc = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": ["demo-vpc"]}])["Vpcs"][0]["VpcId"]
ec2.create_tags(Resources=[vpc], Tags=[{"Key": "Owner", "Value": "someone-in-the-console"}])
s3.create_bucket(Bucket="demo-scratch-made-by-hand")
PY

echo; echo "==> plumb scan, after the changes (the next night, recorded too)"
set +e
"$plumb" scan --state "$work/terraform.tfstate" --ledger "$work/evidence.db"
code=$?
set -e
echo; echo "(exit code $code: 0 clean, 1 drift or failing hardening findings, 2 incomplete or bad input)"
"$plumb" scan --state "$work/terraform.tfstate" --format json --output "$work/report.json" || true
echo "The same report as JSON (the contract in docs/json-report.md): $work/report.json"

echo; echo "==> plumb ledger verify: the hash chain over both runs"
"$plumb" ledger verify --ledger "$work/evidence.db"
echo; echo "==> plumb history: since when each item is open"
"$plumb" history --ledger "$work/evidence.db" --format text
"$plumb" report --ledger "$work/evidence.db" --format html --output "$work/report.html"
echo "The HTML evidence report (one file, nothing loaded): $work/report.html"
echo; echo "==> plumb check: the stack's code, as a pull-request gate (no AWS call)"
"$plumb" check testdata/stacks/demo --format markdown || true
