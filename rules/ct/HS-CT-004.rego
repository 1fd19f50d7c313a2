# METADATA
# title: CloudTrail does not deliver to CloudWatch Logs
# description: >-
#   A trail must set `cloud_watch_logs_group_arn` and `cloud_watch_logs_role_arn`, so
#   that metric filters and alarms can watch it.
# custom:
#   id: HS-CT-004
#   severity: medium
#   resource_types: [cloudtrail]
#   controls:
#     hipaa: ["164.308(a)(1)(ii)(D)", "164.308(a)(6)(ii)", "164.312(b)", "164.312(e)(2)(i)"]
#     soc2: ["CC7.2", "CC7.3", "A1.2", "PI1.3"]
#     gdpr: ["Art. 25", "Art. 30"]
#   rationale: >-
#     Logs in S3 are evidence after the fact; delivered to CloudWatch Logs they drive
#     alarms on root use, IAM changes and failed logins while an incident is under way.
#     checkov's CKV2_AWS_10 needs the log group as a resource in the same configuration;
#     Plumb accepts any log group ARN.
#   remediation: >-
#     Create an `aws_cloudwatch_log_group` and a role CloudTrail can assume to write to
#     it, and set both ARNs on the trail (the group ARN with the `:*` suffix).
#   fix:
#     judges: [cloud_watch_logs_group_arn, cloud_watch_logs_role_arn]
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
#         cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
#         cloud_watch_logs_role_arn  = aws_iam_role.trail_to_cwl.arn
#       }
package plumb.rules.hs_ct_004

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.cloudwatch_logs == false
	msg := sprintf("trail %s does not deliver to CloudWatch Logs", [v.name])
}
