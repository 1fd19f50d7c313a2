# METADATA
# title: IAM password policy is weak
# description: >-
#   The account password policy must require at least 14 characters, remember 24
#   passwords, require symbols, numbers, upper- and lower-case letters, and expire
#   passwords within 90 days (the AWS Config `iam-password-policy` defaults). Account-
#   scoped: an absent policy is not judged in the config and state views; the live view
#   reports the account's policy.
# custom:
#   id: HS-IAM-005
#   severity: medium
#   resource_types: [iam_password_policy]
#   controls:
#     hipaa: ["164.308(a)(4)(ii)(C)", "164.308(a)(5)(ii)(D)", "164.312(d)"]
#     soc2: []
#     gdpr: ["Art. 25"]
#   rationale: >-
#     Console passwords of IAM users guard access to ePHI; HIPAA's password management
#     specification expects procedures for creating and changing them. Deliberate
#     difference from checkov: CKV_AWS_9 to CKV_AWS_15 are one check per setting; Plumb
#     reports all weaknesses in one finding.
#   remediation: >-
#     Set `minimum_password_length = 14`, `password_reuse_prevention = 24`, all four
#     `require_*` arguments to true and `max_password_age = 90` in
#     `aws_iam_account_password_policy`.
#   fix:
#     changes:
#       - on: aws_iam_account_password_policy
#         set:
#           minimum_password_length: 14
#           password_reuse_prevention: 24
#           require_lowercase_characters: true
#           require_numbers: true
#           require_symbols: true
#           require_uppercase_characters: true
#           max_password_age: 90
#   examples:
#     fail: |
#       resource "aws_iam_account_password_policy" "account" {
#         minimum_password_length = 8
#       }
#     pass: |
#       resource "aws_iam_account_password_policy" "account" {
#         minimum_password_length      = 14
#         password_reuse_prevention    = 24
#         require_symbols              = true
#         require_numbers              = true
#         require_uppercase_characters = true
#         require_lowercase_characters = true
#         max_password_age             = 90
#       }
package plumb.rules.hs_iam_005

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.strong == false
	msg := sprintf("the account password policy is weak: %s", [concat("; ", v.weaknesses)])
}
