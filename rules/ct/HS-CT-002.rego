# METADATA
# title: CloudTrail log file validation is off
# description: >-
#   A trail must set `enable_log_file_validation = true` (the default is false).
# custom:
#   id: HS-CT-002
#   severity: high
#   resource_types: [cloudtrail]
#   controls:
#     hipaa: ["164.308(a)(1)(ii)(B)", "164.308(a)(1)(ii)(D)", "164.312(b)", "164.312(c)(1)", "164.312(c)(2)"]
#     soc2: ["CC7.3", "PI1.3"]
#     gdpr: ["Art. 25", "Art. 32"]
#   rationale: >-
#     Validation writes signed digest files, so deleted or altered log files can be
#     detected; without them an intruder who reaches the log bucket can rewrite the audit
#     trail unnoticed.
#   remediation: >-
#     Set `enable_log_file_validation = true` on the `aws_cloudtrail`.
#   fix:
#     changes:
#       - on: aws_cloudtrail
#         set: {enable_log_file_validation: true}
#   examples:
#     fail: |
#       resource "aws_cloudtrail" "main" {
#         name                          = "org-trail"
#         s3_bucket_name                = "clinic-trail-logs"
#         is_multi_region_trail = true
#       }
#     pass: |
#       resource "aws_cloudtrail" "main" {
#         name                          = "org-trail"
#         s3_bucket_name                = "clinic-trail-logs"
#         is_multi_region_trail      = true
#         enable_log_file_validation = true
#       }
package plumb.rules.hs_ct_002

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.enable_log_file_validation == false
	msg := sprintf("trail %s does not validate log files", [v.name])
}
