# METADATA
# title: IAM policy is attached directly to a user
# description: >-
#   Policies must reach users through groups or roles: no `aws_iam_user_policy`,
#   `aws_iam_user_policy_attachment`, or `aws_iam_policy_attachment` with `users`.
# custom:
#   id: HS-IAM-002
#   severity: medium
#   resource_types: [iam_policy, iam_attachment]
#   controls:
#     hipaa: ["164.308(a)(3)(i)", "164.308(a)(3)(ii)(B)", "164.308(a)(4)(i)", "164.308(a)(4)(ii)(B)", "164.308(a)(4)(ii)(C)", "164.312(a)(1)"]
#     soc2: ["CC1.3"]
#     gdpr: []
#   rationale: >-
#     Per-user grants accumulate unseen and survive role changes; access reviews and
#     joiner-mover-leaver processes work on groups and roles.
#   remediation: >-
#     Move the permissions to a group (`aws_iam_group_policy_attachment`) or a role and
#     add the user to the group, or better, use SSO roles instead of IAM users.
#   fix:
#     judges: [user, users, policy_arn]
#   examples:
#     fail: |
#       resource "aws_iam_user_policy_attachment" "alice" {
#         user       = "alice"
#         policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
#       }
#     pass: |
#       resource "aws_iam_group_policy_attachment" "auditors" {
#         group      = "auditors"
#         policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
#       }
package plumb.rules.hs_iam_002

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	is_array(v.users)
	count(v.users) > 0
	msg := sprintf("%s grants permissions directly to user(s) %s", [v.name, concat(", ", v.users)])
}
