# METADATA
# title: KMS key policy allows every principal
# description: >-
#   A key policy (the key's `policy` argument or an `aws_kms_key_policy`) must not
#   `Allow` the principal `"*"` (or `{"AWS": "*"}`) without a `Condition` that narrows
#   it, such as `kms:CallerAccount` or `aws:PrincipalOrgID`.
# custom:
#   id: HS-KMS-004
#   severity: high
#   resource_types: [kms_key]
#   controls:
#     hipaa: []
#     soc2: []
#     gdpr: []
#   rationale: >-
#     A public key policy lets any AWS account use the key, to decrypt data or to grant
#     itself further access. Key policies are the primary access control for KMS; IAM
#     cannot take such a grant back. Deliberate difference from checkov: CKV_AWS_33 reads
#     only `aws_kms_key.policy`; Plumb also reads `aws_kms_key_policy`.
#   remediation: >-
#     Name the account root or specific roles as principals, or add a `Condition`
#     limiting the statement to your account or organisation.
#   fix:
#     judges: [policy]
#   examples:
#     fail: |
#       resource "aws_kms_key" "phi" {
#         description         = "ePHI"
#         enable_key_rotation = true
#         policy = jsonencode({
#           Version = "2012-10-17"
#           Statement = [{
#             Effect    = "Allow"
#             Principal = "*"
#             Action    = "kms:*"
#             Resource  = "*"
#           }]
#         })
#       }
#     pass: |
#       resource "aws_kms_key" "phi" {
#         description         = "ePHI"
#         enable_key_rotation = true
#         policy = jsonencode({
#           Version = "2012-10-17"
#           Statement = [{
#             Effect    = "Allow"
#             Principal = { AWS = "arn:aws:iam::111122223333:root" }
#             Action    = "kms:*"
#             Resource  = "*"
#           }]
#         })
#       }
package plumb.rules.hs_kms_004

deny contains {"id": v.id, "address": v.policy.address, "message": msg} if {
	some v in input.views
	v.policy.public == true
	msg := sprintf("KMS key %s has a policy that allows every AWS principal without a condition", [v.name])
}
