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
cargo build --quiet

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

# The README's nightly job: drift fails it, and findings at or above high unless waived
# (waivers.yaml accepts the findings on AWS's default VPCs and the emulator's root user).
nightly() {
  "$plumb" scan --state "$work/terraform.tfstate" --ledger "$work/evidence.db" \
    --waivers testdata/stacks/demo/waivers.yaml --fail-on high "$@"
}

echo; echo "==> the nightly scan, right after apply (recorded in the evidence ledger)"
set +e
nightly
code=$?
set -e
echo "(exit code $code: 0 means live AWS matches the state and nothing at or above high fails)"

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

echo "    (and the CloudTrail log files those calls leave: moto delivers none, so the demo writes them)"
python3 - "$url" "$work/trail" <<'PY'
import datetime, gzip, json, os, sys, boto3
kw = dict(endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
ec2, kms = boto3.client("ec2", **kw), boto3.client("kms", **kw)
sg = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": ["demo-app"]}])["SecurityGroups"][0]["GroupId"]
vpc = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": ["demo-vpc"]}])["Vpcs"][0]["VpcId"]
key = kms.describe_key(KeyId="alias/demo-phi")["KeyMetadata"]["Arn"]
acct, now = "123456789012", datetime.datetime.now(datetime.timezone.utc)
people = {
    "alice (console)": {"sessionCredentialFromConsole": True, "userAgent": "AWS Internal", "sourceIPAddress": "AWS Internal",
        "userIdentity": {"type": "AssumedRole", "arn": f"arn:aws:sts::{acct}:assumed-role/AWSReservedSSO_Admin_0a1b/alice@example.com",
                         "sessionContext": {"sessionIssuer": {"type": "Role", "userName": "AWSReservedSSO_Admin_0a1b"}}}},
    "bob (cli)": {"userAgent": "aws-cli/2.17.60 md/command#kms.disable-key-rotation", "sourceIPAddress": "203.0.113.9",
        "userIdentity": {"type": "IAMUser", "arn": f"arn:aws:iam::{acct}:user/bob", "userName": "bob"}},
    "carol (sdk)": {"userAgent": "Boto3/1.35.36 md/Botocore#1.35.36", "sourceIPAddress": "192.0.2.44",
        "userIdentity": {"type": "AssumedRole", "arn": f"arn:aws:sts::{acct}:assumed-role/Deploy/run-42",
                         "sessionContext": {"sourceIdentity": "carol", "sessionIssuer": {"type": "Role", "userName": "Deploy"}}}},
}
calls = [
    ("alice (console)", 50, "ec2", "AuthorizeSecurityGroupIngress", {"groupId": sg, "ipPermissions": {"items": [
        {"ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "ipRanges": {"items": [{"cidrIp": "0.0.0.0/0"}]}}]}}),
    ("carol (sdk)", 40, "s3", "PutBucketVersioning", {"bucketName": "demo-patient-records",
        "VersioningConfiguration": {"Status": "Suspended"}}),
    ("bob (cli)", 30, "kms", "DisableKeyRotation", {"keyId": key}),
    ("alice (console)", 20, "ec2", "CreateTags", {"resourcesSet": {"items": [{"resourceId": vpc}]},
        "tagSet": {"items": [{"key": "Owner", "value": "someone-in-the-console"}]}}),
    ("bob (cli)", 10, "s3", "CreateBucket", {"bucketName": "demo-scratch-made-by-hand"}),
]
records = []
for n, (who, minutes, source, name, params) in enumerate(calls):
    r = {"eventVersion": "1.10", "eventTime": (now - datetime.timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ"),
         "eventSource": f"{source}.amazonaws.com", "eventName": name, "awsRegion": "us-east-1", "readOnly": False,
         "eventType": "AwsApiCall", "recipientAccountId": acct, "eventID": f"demo-{n}", "requestParameters": params,
         "responseElements": None}
    r.update(people[who])
    records.append(r)
day = now.strftime("%Y/%m/%d")
path = os.path.join(sys.argv[2], f"AWSLogs/{acct}/CloudTrail/us-east-1/{day}/{acct}_CloudTrail_us-east-1_demo.json.gz")
os.makedirs(os.path.dirname(path), exist_ok=True)
with gzip.open(path, "wt") as f:
    json.dump({"Records": records}, f)
PY

echo; echo "==> the nightly scan after the changes, naming who made each from CloudTrail (recorded too)"
set +e
nightly --cloudtrail "$work/trail" --since 1d
code=$?
set -e
echo; echo "(exit code $code: 0 clean, 1 drift or failing hardening findings, 2 incomplete or bad input)"
echo; echo "==> plumb blame: the security group's write history"
"$plumb" blame aws_security_group.app --state "$work/terraform.tfstate" --cloudtrail "$work/trail" --since 1d
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
