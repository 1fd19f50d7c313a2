# METADATA
# title: KMS key rotation is off
# description: >-
#   Customer-managed symmetric KMS keys must have automatic rotation on
#   (`enable_key_rotation = true`; the provider default is false). Keys that cannot
#   rotate automatically (asymmetric, HMAC, custom key stores, and any key whose
#   `key_usage` is `SIGN_VERIFY` or `GENERATE_VERIFY_MAC`, even without a key spec) and
#   AWS-managed keys are not judged.
# custom:
#   id: HS-KMS-001
#   severity: high
#   resource_types: [kms_key]
#   controls:
#     hipaa: ["164.312(a)(2)(iv)"]
#     soc2: [PI1.5]
#     gdpr: [Art. 25, Art. 30]
#   rationale: >-
#     Rotation limits how much data one version of the key material protects and how
#     long a leaked copy stays useful. KMS keeps the old material to decrypt existing
#     data, so turning rotation on changes nothing for applications.
#     Deliberate difference from checkov: CKV_AWS_7 has evaluated HMAC keys, for which KMS
#     offers no rotation; Plumb judges only keys where rotation applies.
#   remediation: >-
#     Set `enable_key_rotation = true` on the `aws_kms_key` (optionally
#     `rotation_period_in_days`, 90 to 2560; the default is 365).
#   examples:
#     fail: |
#       resource "aws_kms_key" "phi" {
#         description = "PHI encryption key"
#       }
#     pass: |
#       resource "aws_kms_key" "phi" {
#         description         = "PHI encryption key"
#         enable_key_rotation = true
#       }
package plumb.rules.hs_kms_001

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.rotation_applicable == true
	v.enable_key_rotation == false
	msg := sprintf("KMS key %s does not rotate its key material", [v.name])
}
