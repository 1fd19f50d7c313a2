# METADATA
# title: S3 bucket versioning is not enabled
# description: >-
#   A bucket's versioning status must be `Enabled`. `Suspended`, and a bucket that never
#   had versioning configured, fail.
# custom:
#   id: HS-S3-003
#   severity: medium
#   resource_types: [s3_bucket]
#   controls:
#     hipaa: ["164.308(a)(1)(ii)(B)", "164.308(a)(7)(i)", "164.308(a)(7)(ii)(A)", "164.308(a)(7)(ii)(B)", "164.308(a)(7)(ii)(C)", "164.312(a)(2)(ii)", "164.312(c)(1)", "164.312(c)(2)"]
#     soc2: [CC7.4, A1.2, C1.2, PI1.5]
#     gdpr: []
#   rationale: >-
#     Without versioning an overwrite or a delete destroys the object for good, whether
#     it comes from a bug, a person or ransomware. Versions keep every prior copy, which
#     is what lets you restore ePHI and show that it was not altered.
#   remediation: >-
#     Add an `aws_s3_bucket_versioning` resource for the bucket with
#     `versioning_configuration { status = "Enabled" }`, and a lifecycle rule that expires
#     noncurrent versions after your retention period so storage does not grow forever.
#   fix:
#     judges: [versioning_configuration, versioning]
#     changes:
#       - on: aws_s3_bucket_versioning
#         set: {versioning_configuration: {status: Enabled}}
#       - on: aws_s3_bucket
#         add:
#           type: aws_s3_bucket_versioning
#           set: {bucket: $owner.id, versioning_configuration: {status: Enabled}}
#   examples:
#     fail: |
#       resource "aws_s3_bucket" "records" {
#         bucket = "clinic-phi-records"
#       }
#
#       resource "aws_s3_bucket_versioning" "records" {
#         bucket = aws_s3_bucket.records.id
#         versioning_configuration {
#           status = "Suspended"
#         }
#       }
#     pass: |
#       resource "aws_s3_bucket" "records" {
#         bucket = "clinic-phi-records"
#       }
#
#       resource "aws_s3_bucket_versioning" "records" {
#         bucket = aws_s3_bucket.records.id
#         versioning_configuration {
#           status = "Enabled"
#         }
#       }
package plumb.rules.hs_s3_003

deny contains {"id": v.id, "address": v.versioning.address, "message": message(v)} if {
	some v in input.views
	v.versioning.enabled == false
}

message(v) := sprintf("bucket %s has versioning %s", [v.name, lower(v.versioning.status)]) if {
	v.versioning.configured
}

message(v) := sprintf("bucket %s has no versioning configuration, so versioning is off", [v.name]) if {
	not v.versioning.configured
}
