# METADATA
# title: KMS key rotates less often than yearly
# description: >-
#   A key with automatic rotation on must rotate at least every 365 days:
#   `rotation_period_in_days` unset (AWS default 365) or at most 365. Keys without
#   rotation are HS-KMS-001's concern.
# custom:
#   id: HS-KMS-002
#   severity: medium
#   resource_types: [kms_key]
#   controls:
#     hipaa: []
#     soc2: []
#     gdpr: []
#   rationale: >-
#     Rotation bounds how much ciphertext one key version protects and how long a leaked
#     version stays useful. KMS allows periods up to 2560 days; the baseline keeps the
#     yearly cadence auditors expect.
#   remediation: >-
#     Remove `rotation_period_in_days` or set it to 365 or less (at least 90).
#   fix:
#     judges: [enable_key_rotation, rotation_period_in_days]
#     changes:
#       - on: aws_kms_key
#         set: {rotation_period_in_days: 365}
#   examples:
#     fail: |
#       resource "aws_kms_key" "phi" {
#         description             = "ePHI"
#         enable_key_rotation     = true
#         rotation_period_in_days = 730
#       }
#     pass: |
#       resource "aws_kms_key" "phi" {
#         description             = "ePHI"
#         enable_key_rotation     = true
#         rotation_period_in_days = 365
#       }
package plumb.rules.hs_kms_002

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.enable_key_rotation == true
	is_number(v.rotation_period_in_days)
	v.rotation_period_in_days > 365
	msg := sprintf("KMS key %s rotates every %d days; the baseline requires 365 or less", [v.name, v.rotation_period_in_days])
}
