# METADATA
# title: KMS key deletion window is shorter than 30 days
# description: >-
#   A customer-managed key must keep the 30-day deletion window
#   (`deletion_window_in_days` unset or 30). The provider default is 30; the allowed
#   range is 7 to 30.
# custom:
#   id: HS-KMS-003
#   severity: medium
#   resource_types: [kms_key]
#   controls:
#     hipaa: ["164.308(a)(1)(ii)(B)"]
#     soc2: []
#     gdpr: []
#   rationale: >-
#     Deleting a key makes everything encrypted under it unrecoverable. The waiting
#     period is the only chance to notice a mistaken or malicious deletion and cancel it;
#     30 days spans a monthly review.
#   remediation: >-
#     Remove `deletion_window_in_days` or set it to 30.
#   fix:
#     changes:
#       - on: aws_kms_key
#         set: {deletion_window_in_days: 30}
#   examples:
#     fail: |
#       resource "aws_kms_key" "phi" {
#         description             = "ePHI"
#         enable_key_rotation     = true
#         deletion_window_in_days = 7
#       }
#     pass: |
#       resource "aws_kms_key" "phi" {
#         description             = "ePHI"
#         enable_key_rotation     = true
#         deletion_window_in_days = 30
#       }
package plumb.rules.hs_kms_003

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.aws_managed == false
	is_number(v.deletion_window_in_days)
	v.deletion_window_in_days < 30
	msg := sprintf("KMS key %s can be deleted after %d days; the baseline requires 30", [v.name, v.deletion_window_in_days])
}
