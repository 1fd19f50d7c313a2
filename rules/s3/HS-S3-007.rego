# METADATA
# title: S3 server access logging is off
# description: >-
#   A bucket must log server access to another bucket: an `aws_s3_bucket_logging` (or the
#   legacy inline `logging` block) with `target_bucket` set.
# custom:
#   id: HS-S3-007
#   severity: medium
#   resource_types: [s3_bucket]
#   controls:
#     hipaa: ["164.308(a)(1)(ii)(D)", "164.308(a)(3)(ii)(A)", "164.308(a)(6)(ii)", "164.312(b)", "164.312(e)(2)(i)"]
#     soc2: ["CC7.2", "CC7.3", "A1.2"]
#     gdpr: []
#   rationale: >-
#     Access logs record every request, including anonymous and denied ones that
#     CloudTrail data events do not cover cheaply; they answer "who read this object"
#     after the fact.
#   remediation: >-
#     Add `aws_s3_bucket_logging` with `target_bucket` pointing at a dedicated log bucket
#     and a `target_prefix`. The log bucket itself must not log into itself (AWS warns that
#     this multiplies logs without end): waive this rule for the last bucket of the chain,
#     with the reason "server access log target".
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
#       resource "aws_s3_bucket_logging" "records" {
#         bucket        = aws_s3_bucket.records.id
#         target_bucket = aws_s3_bucket.logs.id
#         target_prefix = "records/"
#       }
package plumb.rules.hs_s3_007

deny contains {"id": v.id, "address": v.logging.address, "message": msg} if {
	some v in input.views
	v.logging.enabled == false
	msg := sprintf("bucket %s has no server access logging", [v.name])
}
