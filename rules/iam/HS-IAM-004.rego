# METADATA
# title: Console user or root user without MFA
# description: >-
#   Every IAM user who can sign in to the console (a login profile: the credential report's
#   `password_enabled`) and the root user must have an MFA device (`mfa_active` in the
#   credential report; `AccountMFAEnabled` for root). Terraform cannot express a user's MFA
#   device, so this is judged on the live view only (`plumb scan`); a console login whose MFA
#   could not be read is not judged.
# custom:
#   id: HS-IAM-004
#   severity: critical
#   resource_types: [iam_console_access]
#   live_only: true
#   controls:
#     hipaa: ["164.308(a)(3)(ii)(A)", "164.312(a)(1)", "164.312(d)"]
#     soc2: []
#     gdpr: ["Art. 25"]
#   rationale: >-
#     A console password alone is one phished or reused secret away from the account; for
#     the root user, from everything in it. HIPAA's person-or-entity authentication standard
#     (164.312(d)) and the access control standard ask for verifying who signs in. Prowler
#     checks users (`iam_user_mfa_enabled_console_access`) and root (`iam_root_mfa_enabled`)
#     separately; Plumb reports both with one rule. Hardware MFA for root is not checked:
#     the credential report does not tell the device kind.
#   remediation: >-
#     Enable an MFA device for each console user (or remove their login profile and use
#     SSO), and for the root user; deny console actions without `aws:MultiFactorAuthPresent`
#     in the users' group policy so that new users must enrol.
#   fix:
#     judges: []
#   examples:
#     fail: |
#       # As the live read sees it: the credential report says the user signs in to the
#       # console (a login profile) and has no MFA device.
#       resource "aws_iam_user_login_profile" "dana" {
#         user       = "dana.reyes"
#         mfa_active = false
#       }
#     pass: |
#       # As the live read sees it: the console user has an MFA device.
#       resource "aws_iam_user_login_profile" "dana" {
#         user       = "dana.reyes"
#         mfa_active = true
#       }
package plumb.rules.hs_iam_004

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.mfa_active == false
	v.root == true
	msg := "the root user has no MFA device"
}

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.mfa_active == false
	v.root == false
	msg := sprintf("console user %s has no MFA device", [v.user])
}
