# METADATA
# title: S3 Bucket Key is off for SSE-KMS
# description: >-
#   A bucket whose default encryption is `aws:kms` must set `bucket_key_enabled = true`
#   in its encryption rule. Not applicable to `aws:kms:dsse` (DSSE-KMS does not support
#   Bucket Keys) nor to SSE-S3 (HS-S3-001 fails those).
# custom:
#   id: HS-S3-002
#   severity: low
#   resource_types: [s3_bucket]
#   controls:
#     hipaa: []
#     soc2: []
#     gdpr: []
#   rationale: >-
#     Without a Bucket Key every object operation is a KMS request: costs and KMS
#     throttling grow with traffic, which pushes teams back to SSE-S3. A Bucket Key keeps
#     SSE-KMS affordable without weakening it.
#   remediation: >-
#     Set `bucket_key_enabled = true` in the `rule` block of
#     `aws_s3_bucket_server_side_encryption_configuration`.
#   fix:
#     changes:
#       - on: aws_s3_bucket_server_side_encryption_configuration
#         set: {rule: {bucket_key_enabled: true}}
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
#             sse_algorithm     = "aws:kms"
#             kms_master_key_id = aws_kms_key.phi.arn
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
package plumb.rules.hs_s3_002

deny contains {"id": v.id, "address": v.encryption.address, "message": msg} if {
	some v in input.views
	v.encryption.kms == true
	v.encryption.dsse == false
	v.encryption.bucket_key_enabled == false
	msg := sprintf("bucket %s uses SSE-KMS without an S3 Bucket Key", [v.name])
}
