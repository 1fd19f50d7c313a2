# METADATA
# title: CloudWatch log group keeps logs for less than a year
# description: >-
#   A log group must keep events for at least 365 days, or never expire them:
#   `retention_in_days` omitted or 0 (never expire) passes; 1 to 364 fails. Audit log
#   groups should use 2192 days (six years).
# custom:
#   id: HS-LOG-002
#   severity: medium
#   resource_types: [log_group]
#   controls:
#     hipaa: ["164.312(b)"]
#     soc2: ["CC7.2", "CC7.3", "C1.2"]
#     gdpr: []
#   rationale: >-
#     Incidents are often found months later; logs that expired first leave nothing to
#     investigate. HIPAA keeps documentation six years, which many teams apply to audit
#     logs. Deliberate difference from checkov: CKV_AWS_338 fails an omitted
#     `retention_in_days`; Plumb treats it, like AWS Config and Prowler, as never-expire
#     and passes it (cost, not compliance, is the concern there).
#   remediation: >-
#     Set `retention_in_days` to 365 or more (2192 for audit logs), or remove it to keep
#     logs forever.
#   fix:
#     changes:
#       - on: aws_cloudwatch_log_group
#         set: {retention_in_days: 365}
#   examples:
#     fail: |
#       resource "aws_cloudwatch_log_group" "app" {
#         name = "/clinic/app"
#         retention_in_days = 30
#       }
#     pass: |
#       resource "aws_cloudwatch_log_group" "app" {
#         name = "/clinic/app"
#         retention_in_days = 2192
#       }
package plumb.rules.hs_log_002

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.never_expires == false
	is_number(v.retention_in_days)
	v.retention_in_days < 365
	msg := sprintf("log group %s keeps events for %d days; the baseline requires 365 or more", [v.name, v.retention_in_days])
}
