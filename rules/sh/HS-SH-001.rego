# METADATA
# title: Security Hub has no standards enabled
# description: >-
#   An `aws_securityhub_account` must run security standards: `enable_default_standards`
#   (default true) or at least one `aws_securityhub_standards_subscription`. Region-
#   scoped: a region without Security Hub is not judged in the config and state views;
#   live, it is reported as a Security Hub that is not enabled (and runs no standards).
# custom:
#   id: HS-SH-001
#   severity: medium
#   resource_types: [securityhub_account]
#   controls:
#     hipaa: ["164.308(a)(1)(ii)(D)", "164.308(a)(3)(ii)(A)", "164.308(a)(5)(ii)(C)", "164.308(a)(6)(i)", "164.308(a)(6)(ii)", "164.308(a)(8)", "164.312(b)", "164.312(e)(2)(i)"]
#     soc2: ["CC3.1", "CC6.8", "CC7.1", "CC7.2", "CC7.3", "CC7.4"]
#     gdpr: []
#   rationale: >-
#     Security Hub aggregates GuardDuty, Config and Inspector findings and runs the
#     Foundational Best Practices checks continuously; enabled without standards it only
#     forwards findings and evaluates nothing.
#   remediation: >-
#     Leave `enable_default_standards` at true, or subscribe to the standards you follow
#     with `aws_securityhub_standards_subscription`.
#   fix:
#     changes:
#       - on: aws_securityhub_account
#         set: {enable_default_standards: true}
#   examples:
#     fail: |
#       resource "aws_securityhub_account" "main" {
#         enable_default_standards = false
#       }
#     pass: |
#       resource "aws_securityhub_account" "main" {
#         enable_default_standards = true
#       }
package plumb.rules.hs_sh_001

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.enabled == true
	v.standards_enabled == false
	msg := "Security Hub is enabled without any security standard"
}

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.enabled == false
	msg := sprintf("Security Hub is not enabled in %s", [v.region])
}
