# METADATA
# title: S3 bucket ACLs are enabled
# description: >-
#   A bucket's `aws_s3_bucket_ownership_controls` must set `object_ownership =
#   "BucketOwnerEnforced"`, which disables ACLs. A bucket without ownership controls is
#   not judged: S3 has created new buckets with ACLs disabled since April 2023.
# custom:
#   id: HS-S3-008
#   severity: low
#   resource_types: [s3_bucket]
#   controls:
#     hipaa: []
#     soc2: []
#     gdpr: []
#   rationale: >-
#     ACLs are a second, per-object permission system that bucket policies and IAM do not
#     show; an object uploaded with `public-read` or owned by another account escapes the
#     bucket's access review. Deliberate difference from checkov: CKV2_AWS_65 also fails
#     buckets with no ownership controls; Plumb follows the current S3 default.
#   remediation: >-
#     Add `aws_s3_bucket_ownership_controls` with `rule { object_ownership =
#     "BucketOwnerEnforced" }` and remove `aws_s3_bucket_acl` grants.
#   fix:
#     judges: [rule, acl, grant]
#     changes:
#       - on: aws_s3_bucket_ownership_controls
#         set: {rule: {object_ownership: BucketOwnerEnforced}}
#   examples:
#     fail: |
#       resource "aws_s3_bucket" "records" {
#         bucket = "clinic-phi-records"
#       }
#
#       resource "aws_s3_bucket_ownership_controls" "records" {
#         bucket = aws_s3_bucket.records.id
#         rule {
#           object_ownership = "ObjectWriter"
#         }
#       }
#     pass: |
#       resource "aws_s3_bucket" "records" {
#         bucket = "clinic-phi-records"
#       }
#
#       resource "aws_s3_bucket_ownership_controls" "records" {
#         bucket = aws_s3_bucket.records.id
#         rule {
#           object_ownership = "BucketOwnerEnforced"
#         }
#       }
package plumb.rules.hs_s3_008

deny contains {"id": v.id, "address": v.ownership_controls.address, "message": msg} if {
	some v in input.views
	v.ownership_controls.configured == true
	is_string(v.ownership_controls.object_ownership)
	v.ownership_controls.object_ownership != "BucketOwnerEnforced"
	msg := sprintf("bucket %s allows ACLs (object_ownership = %s)", [v.name, v.ownership_controls.object_ownership])
}
