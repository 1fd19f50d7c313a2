# METADATA
# title: Account-level S3 Block Public Access is not fully on
# description: >-
#   An `aws_s3_account_public_access_block` must set all four flags to true (each
#   defaults to false). Account-scoped: in the config and state views an account without
#   the resource is not judged (it usually lives in a separate account-baseline stack);
#   live fetchers report the account's setting, so there a missing block fails.
# custom:
#   id: HS-S3-005
#   severity: high
#   resource_types: [s3_account_public_access_block]
#   controls:
#     hipaa: ["164.308(a)(1)(ii)(B)", "164.308(a)(3)(i)"]
#     soc2: []
#     gdpr: []
#   rationale: >-
#     The account-level block is the backstop for every bucket, including ones created
#     outside Terraform or by a later mistake: with it on, no bucket policy or ACL can
#     make data public.
#   remediation: >-
#     Declare `aws_s3_account_public_access_block` with `block_public_acls`,
#     `block_public_policy`, `ignore_public_acls` and `restrict_public_buckets` all true.
#   fix:
#     changes:
#       - on: aws_s3_account_public_access_block
#         set: {block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true}
#   examples:
#     fail: |
#       resource "aws_s3_account_public_access_block" "account" {
#         block_public_acls   = true
#         block_public_policy = true
#       }
#     pass: |
#       resource "aws_s3_account_public_access_block" "account" {
#         block_public_acls       = true
#         block_public_policy     = true
#         ignore_public_acls      = true
#         restrict_public_buckets = true
#       }
package plumb.rules.hs_s3_005

flags := ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"]

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.all == false
	off := [f | some f in flags; v[f] == false]
	msg := sprintf("account-level S3 Block Public Access leaves %s off", [concat(", ", off)])
}
