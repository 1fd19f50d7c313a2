# METADATA
# title: S3 bucket policy does not deny non-TLS requests
# description: >-
#   A bucket's policy (`aws_s3_bucket_policy` or the legacy inline `policy`) must contain
#   a `Deny` for principal `"*"` on `s3:*` with the condition `Bool aws:SecureTransport =
#   false`. No policy fails.
# custom:
#   id: HS-S3-006
#   severity: high
#   resource_types: [s3_bucket]
#   controls:
#     hipaa: ["164.308(a)(1)(ii)(B)", "164.312(a)(2)(iv)", "164.312(c)(1)", "164.312(c)(2)", "164.312(e)(1)", "164.312(e)(2)(i)", "164.312(e)(2)(ii)"]
#     soc2: []
#     gdpr: ["Art. 32"]
#   rationale: >-
#     S3 still accepts plain HTTP. Without the deny, a misconfigured client or SDK
#     endpoint sends ePHI and signed requests in clear text; HIPAA's transmission
#     security standard asks for protection against that. Deliberate difference from
#     checkov: CKV_AWS_379 only evaluates buckets with public ACLs; Plumb requires the
#     deny on every bucket.
#   remediation: >-
#     Add a statement `{ Effect = "Deny", Principal = "*", Action = "s3:*", Resource =
#     [bucket ARN, "${bucket ARN}/*"], Condition = { Bool = { "aws:SecureTransport" =
#     "false" } } }` to the bucket policy; add `NumericLessThan s3:TlsVersion 1.2` for
#     TLS 1.2 or later.
#   fix:
#     judges: [policy]
#   examples:
#     fail: |
#       resource "aws_s3_bucket" "records" {
#         bucket = "clinic-phi-records"
#       }
#     pass: |
#       resource "aws_s3_bucket" "records" {
#         bucket = "clinic-phi-records"
#       }
#
#       resource "aws_s3_bucket_policy" "records" {
#         bucket = aws_s3_bucket.records.id
#         policy = jsonencode({
#           Version = "2012-10-17"
#           Statement = [{
#             Sid       = "DenyInsecureTransport"
#             Effect    = "Deny"
#             Principal = "*"
#             Action    = "s3:*"
#             Resource  = ["arn:aws:s3:::clinic-phi-records", "arn:aws:s3:::clinic-phi-records/*"]
#             Condition = { Bool = { "aws:SecureTransport" = "false" } }
#           }]
#         })
#       }
package plumb.rules.hs_s3_006

deny contains {"id": v.id, "address": v.policy.address, "message": msg} if {
	some v in input.views
	v.policy.denies_insecure_transport == false
	msg := message(v)
}

message(v) := sprintf("bucket %s has no bucket policy denying requests without TLS", [v.name]) if not v.policy.configured

message(v) := sprintf("bucket %s's policy does not deny requests without TLS (aws:SecureTransport = false)", [v.name]) if v.policy.configured
