# METADATA
# title: S3 bucket does not block public access
# description: >-
#   A bucket must have a public access block with all four settings on:
#   `block_public_acls`, `block_public_policy`, `ignore_public_acls` and
#   `restrict_public_buckets`. A bucket without one fails, and so does one that leaves any
#   setting off (each defaults to false).
# custom:
#   id: HS-S3-004
#   severity: high
#   resource_types: [s3_bucket]
#   controls:
#     hipaa: ["164.308(a)(1)(ii)(B)", "164.308(a)(3)(i)", "164.312(a)(1)", "164.312(a)(2)(i)"]
#     soc2: [CC6.1]
#     gdpr: []
#   rationale: >-
#     One permissive ACL or bucket policy statement is enough to publish ePHI to the
#     internet. The public access block makes S3 refuse and ignore such grants, whatever
#     later changes to ACLs or policies try to do.
#     Deliberate difference from checkov: CKV2_AWS_6 only requires the block to exist with
#     `block_public_acls` and `block_public_policy`; Plumb requires all four flags, like
#     CKV_AWS_53 to CKV_AWS_56 together.
#   remediation: >-
#     Add an `aws_s3_bucket_public_access_block` resource for the bucket with all four
#     arguments set to `true`. An account-wide `aws_s3_account_public_access_block` is a
#     good second layer but does not replace the bucket's own.
#   fix:
#     judges: [block_public_acls, block_public_policy, ignore_public_acls, restrict_public_buckets]
#     changes:
#       - on: aws_s3_bucket_public_access_block
#         set: {block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true}
#       - on: aws_s3_bucket
#         add:
#           type: aws_s3_bucket_public_access_block
#           set: {bucket: $owner.id, block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true}
#   examples:
#     fail: |
#       resource "aws_s3_bucket" "records" {
#         bucket = "clinic-phi-records"
#       }
#
#       resource "aws_s3_bucket_public_access_block" "records" {
#         bucket                  = aws_s3_bucket.records.id
#         block_public_acls       = true
#         block_public_policy     = false
#         ignore_public_acls      = true
#         restrict_public_buckets = true
#       }
#     pass: |
#       resource "aws_s3_bucket" "records" {
#         bucket = "clinic-phi-records"
#       }
#
#       resource "aws_s3_bucket_public_access_block" "records" {
#         bucket                  = aws_s3_bucket.records.id
#         block_public_acls       = true
#         block_public_policy     = true
#         ignore_public_acls      = true
#         restrict_public_buckets = true
#       }
package plumb.rules.hs_s3_004

settings := ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"]

deny contains {"id": v.id, "address": v.public_access_block.address, "message": msg} if {
	some v in input.views
	v.public_access_block.configured == false
	msg := sprintf("bucket %s has no public access block", [v.name])
}

deny contains {"id": v.id, "address": v.public_access_block.address, "message": msg} if {
	some v in input.views
	v.public_access_block.configured == true
	off := [s | some s in settings; v.public_access_block[s] == false]
	count(off) > 0
	msg := sprintf("bucket %s's public access block leaves %s off", [v.name, concat(", ", off)])
}
