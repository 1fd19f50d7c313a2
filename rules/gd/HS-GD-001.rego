# METADATA
# title: GuardDuty detector is disabled
# description: >-
#   An `aws_guardduty_detector` must not set `enable = false` (the default is true).
#   Region-scoped: a region without a detector is not judged in the config and state
#   views (detectors are usually managed by an account-baseline stack or a delegated
#   administrator); live fetchers report a region without GuardDuty as a disabled
#   detector, so there it fails.
# custom:
#   id: HS-GD-001
#   severity: high
#   resource_types: [guardduty_detector]
#   controls:
#     hipaa: ["164.308(a)(1)(ii)(A)", "164.308(a)(1)(ii)(D)", "164.308(a)(3)(ii)(A)", "164.308(a)(5)(ii)(C)", "164.308(a)(6)(i)", "164.308(a)(6)(ii)", "164.308(a)(8)", "164.312(b)", "164.312(e)(2)(i)"]
#     soc2: ["CC3.1", "CC3.2", "CC4.2", "CC6.8", "CC7.1", "CC7.2", "CC7.3", "CC7.4"]
#     gdpr: []
#   rationale: >-
#     GuardDuty is the managed threat detection over CloudTrail, VPC flow and DNS logs:
#     credential exfiltration, crypto-mining and reconnaissance show up there first.
#     HIPAA's security incident procedures need something watching.
#   remediation: >-
#     Set `enable = true` (or remove the argument) on the `aws_guardduty_detector`, in
#     every region in use.
#   fix:
#     changes:
#       - on: aws_guardduty_detector
#         set: {enable: true}
#   examples:
#     fail: |
#       resource "aws_guardduty_detector" "main" {
#         enable = false
#       }
#     pass: |
#       resource "aws_guardduty_detector" "main" {
#         enable = true
#       }
package plumb.rules.hs_gd_001

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.enable == false
	msg := sprintf("GuardDuty detector %s is disabled", [v.name])
}
