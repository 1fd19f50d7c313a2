# METADATA
# title: KMS key has no Owner tag
# description: >-
#   A team's own rule, loaded with `--rules DIR`: every KMS key names its owner.
# custom:
#   id: ACME-TAG-001
#   severity: low
#   resource_types: [kms_key]
#   controls:
#     hipaa: []
#     soc2: [CC6.1]
#     gdpr: []
#   rationale: >-
#     Key owners approve grants and rotation exceptions.
#   remediation: >-
#     Add an `Owner` tag.
#   examples:
#     fail: |
#       resource "aws_kms_key" "k" {
#         description = "no owner"
#       }
#     pass: |
#       resource "aws_kms_key" "k" {
#         description = "owned"
#         tags        = { Owner = "platform" }
#       }
package plumb.rules.acme_tag_001

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	not v.tags.Owner
	msg := sprintf("KMS key %s has no Owner tag", [v.name])
}
