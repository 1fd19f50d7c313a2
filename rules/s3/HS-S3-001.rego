# METADATA
# title: S3 bucket default encryption is not SSE-KMS
# description: >-
#   A bucket's default encryption must use a KMS key: `aws:kms` (SSE-KMS) or
#   `aws:kms:dsse` (DSSE-KMS). `AES256` (SSE-S3) fails, and so does a bucket with no
#   encryption configuration, which S3 encrypts with SSE-S3. A bucket the code shows
#   receiving server access logs (the `target_bucket` of an `aws_s3_bucket_logging` or of
#   an inline `logging` block) is not judged: AWS delivers server access logs only to
#   buckets whose default encryption is SSE-S3.
# custom:
#   id: HS-S3-001
#   severity: high
#   resource_types: [s3_bucket]
#   controls:
#     hipaa: ["164.308(a)(4)(ii)(A)", "164.312(a)(2)(iv)", "164.312(c)(1)", "164.312(e)(2)(ii)", "164.314(b)(1)", "164.314(b)(2)"]
#     soc2: [PI1.4]
#     gdpr: [Art. 32]
#   rationale: >-
#     SSE-S3 keys are owned and used by S3 alone: anyone allowed to read an object gets
#     it decrypted, and no key policy or CloudTrail KMS event records who decrypted
#     which object. With SSE-KMS, reading ePHI also needs `kms:Decrypt` on a key whose
#     policy you control, every use is logged, and disabling the key cuts off access.
#     Deliberate difference from checkov: CKV_AWS_145 accepts only `aws:kms`; Plumb also
#     accepts `aws:kms:dsse` (DSSE-KMS, two layers of KMS encryption), as Prowler does.
#   remediation: >-
#     Set `sse_algorithm = "aws:kms"` (or `"aws:kms:dsse"`) in the bucket's
#     `aws_s3_bucket_server_side_encryption_configuration`, with `kms_master_key_id`
#     pointing at a customer-managed `aws_kms_key`, and `bucket_key_enabled = true` to
#     keep KMS request costs down. Objects written before the change keep their old
#     encryption until they are copied over themselves. A bucket that receives server
#     access logs from buckets declared elsewhere must stay on SSE-S3 (AWS does not
#     deliver access logs to SSE-KMS buckets): waive the finding for that bucket with the
#     reason "server access log target".
#   examples:
#     fail: |
#       resource "aws_s3_bucket" "records" {
#         bucket = "clinic-phi-records"
#       }
#
#       resource "aws_s3_bucket_server_side_encryption_configuration" "records" {
#         bucket = aws_s3_bucket.records.id
#         rule {
#           apply_server_side_encryption_by_default {
#             sse_algorithm = "AES256"
#           }
#         }
#       }
#     pass: |
#       resource "aws_s3_bucket" "records" {
#         bucket = "clinic-phi-records"
#       }
#
#       resource "aws_s3_bucket_server_side_encryption_configuration" "records" {
#         bucket = aws_s3_bucket.records.id
#         rule {
#           apply_server_side_encryption_by_default {
#             sse_algorithm     = "aws:kms"
#             kms_master_key_id = aws_kms_key.phi.arn
#           }
#           bucket_key_enabled = true
#         }
#       }
package plumb.rules.hs_s3_001

deny contains {"id": v.id, "address": v.encryption.address, "message": message(v)} if {
	some v in input.views
	v.encryption.kms == false
	v.receives_access_logs != true
}

message(v) := sprintf("bucket %s encrypts by default with %s (SSE-S3), not SSE-KMS", [v.name, v.encryption.sse_algorithm]) if {
	v.encryption.configured
}

message(v) := sprintf("bucket %s has no default encryption configuration, so S3 uses SSE-S3 (AES256), not SSE-KMS", [v.name]) if {
	not v.encryption.configured
}
