#!/usr/bin/env bash
# Attribution benchmark (not a test): a month of CloudTrail logs with N records (default
# 100000 and 1000000) is generated as CloudTrail delivers it (gzip, one file per hour under
# AWSLogs/<acct>/CloudTrail/us-east-1/YYYY/MM/DD/), and `plumb blame` of the core stack's
# database reads it from the folder. Reports wall time and peak RSS (/usr/bin/time -v).
# Targets (design sec. 7): under 10 s for a month, memory flat in N (records are streamed).
#
#   scripts/attribution-bench.sh [N...]        # PROFILE=debug to time the debug build
#
# The records: 97% noise on 5,000 other instances, buckets and groups (half of them reads),
# and ~0.05% writes on the database (console, Terraform, a few denied), spread over 30 days.
set -euo pipefail
cd "$(dirname "$0")/.."
PROFILE=${PROFILE:-release}
if [[ $# -eq 0 ]]; then set -- 100000 1000000; fi

# `cargo test --no-run` builds the binary with the test feature set (plain `cargo build` would
# recompile the AWS SDK with other features).
if [[ $PROFILE == release ]]; then
  nice -n 19 cargo test --release --quiet --no-run --test cli_errors >/dev/null 2>&1
else
  cargo test --quiet --no-run --test cli_errors >/dev/null 2>&1
fi
BIN=$PWD/target/$PROFILE/plumb
STATE=$PWD/testdata/tfstate/core.tfstate
work=$(mktemp -d /tmp/plumb-attr-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

cat >"$work/gen.py" <<'PY'
import datetime, gzip, json, os, random, sys
n, out = int(sys.argv[1]), sys.argv[2]
acct, region = "123456789012", "us-east-1"
now = datetime.datetime.now(datetime.timezone.utc).replace(minute=0, second=0, microsecond=0)
hours = 30 * 24
rnd = random.Random(7)
tf_ua = ("APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.100.0 "
         "(+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.36.3 ua/2.1 os/linux lang/go#1.24.2")
cli_ua = "aws-cli/2.17.60 md/awscrt#0.21.2 ua/2.0 os/macos#23.6.0 md/arch#x86_64 lang/python#3.12.6"
console = {"type": "AssumedRole", "arn": f"arn:aws:sts::{acct}:assumed-role/Admin/alice@example.com",
           "principalId": "AROAJ4ULUNLE6DYF4PCOK:alice@example.com", "accountId": acct,
           "sessionContext": {"sessionIssuer": {"type": "Role", "arn": f"arn:aws:iam::{acct}:role/Admin", "userName": "Admin"}}}
user = lambda u: {"type": "IAMUser", "arn": f"arn:aws:iam::{acct}:user/{u}", "accountId": acct, "userName": u}
def rec(i, t, src, name, params, who, ua, ro=False, err=None):
    r = {"eventVersion": "1.09", "eventTime": t, "eventSource": f"{src}.amazonaws.com", "eventName": name,
         "awsRegion": region, "eventCategory": "Management", "eventType": "AwsApiCall", "readOnly": ro,
         "recipientAccountId": acct, "eventID": f"00000000-0000-4000-8000-{i:012d}", "requestID": f"r{i}",
         "userIdentity": who, "sourceIPAddress": "203.0.113.9", "userAgent": ua,
         "requestParameters": params, "responseElements": None}
    if ua == "AWS Internal":
        r["sessionCredentialFromConsole"] = True
    if err:
        r["errorCode"] = err
    return r
per_hour = max(1, n // hours)
i = 0
for h in range(hours):
    t0 = now - datetime.timedelta(hours=hours - h)
    records = []
    for k in range(per_hour if h < hours - 1 else n - i):
        t = (t0 + datetime.timedelta(seconds=k * 3600 // per_hour)).strftime("%Y-%m-%dT%H:%M:%SZ")
        x = rnd.random()
        if x < 0.0005:
            records.append(rec(i, t, "rds", "ModifyDBInstance",
                               {"dBInstanceIdentifier": "clinic-records", "backupRetentionPeriod": rnd.choice([7, 14, 35])},
                               *rnd.choice([(console, "AWS Internal"), (user("terraform-ci"), tf_ua), (user("bob"), cli_ua)]),
                               err=("AccessDenied" if rnd.random() < 0.1 else None)))
        elif x < 0.03:
            records.append(rec(i, t, "rds", "DescribeDBInstances", {"dBInstanceIdentifier": "clinic-records"},
                               user("monitor"), cli_ua, ro=True))
        else:
            j = rnd.randrange(5000)
            c = rnd.randrange(4)
            if c == 0:
                records.append(rec(i, t, "ec2", "CreateTags", {"resourcesSet": {"items": [{"resourceId": f"i-{j:017x}"}]},
                                   "tagSet": {"items": [{"key": "Owner", "value": "x"}]}}, user("bob"), cli_ua))
            elif c == 1:
                records.append(rec(i, t, "ec2", "DescribeInstances", {"instancesSet": {"items": [{"instanceId": f"i-{j:017x}"}]}},
                                   user("monitor"), cli_ua, ro=True))
            elif c == 2:
                records.append(rec(i, t, "s3", "PutBucketTagging", {"bucketName": f"bucket-{j}", "tagging": ""},
                                   user("terraform-ci"), tf_ua))
            else:
                records.append(rec(i, t, "ec2", "AuthorizeSecurityGroupIngress", {"groupId": f"sg-{j:017x}"},
                                   user("bob"), cli_ua))
        i += 1
    d = os.path.join(out, f"AWSLogs/{acct}/CloudTrail/{region}", t0.strftime("%Y/%m/%d"))
    os.makedirs(d, exist_ok=True)
    name = f"{acct}_CloudTrail_{region}_{t0.strftime('%Y%m%dT%H%MZ')}_{h:016x}.json.gz"
    with gzip.open(os.path.join(d, name), "wt", compresslevel=6) as f:
        json.dump({"Records": records}, f, separators=(",", ":"))
PY

printf '%-10s %-8s %-10s %-12s %s\n' records files "size(MB)" "time(s)" "peak RSS (MB)"
for n in "$@"; do
  dir=$work/trail-$n
  python3 "$work/gen.py" "$n" "$dir"
  files=$(find "$dir" -name '*.json.gz' | wc -l)
  size=$(du -sm "$dir" | cut -f1)
  /usr/bin/time -v -o "$work/time-$n" env AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x AWS_EC2_METADATA_DISABLED=true \
    "$BIN" blame aws_db_instance.records --state "$STATE" --region us-east-1 --cloudtrail "$dir" --since 31d \
    --format json >"$work/out-$n.json"
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(k=1;k<=n;k++) s=s*60+a[k]; print s}' "$work/time-$n")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$work/time-$n")
  events=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['events']))" "$work/out-$n.json")
  printf '%-10s %-8s %-10s %-12s %s   (%s events on the database)\n' "$n" "$files" "$size" "$secs" "$rss" "$events"
  rm -rf "$dir"
done
