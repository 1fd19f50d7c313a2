# METADATA
# title: A team rule that fails at run time
# description: >-
#   Calls `count` on a boolean, which Rego rejects at run time: Plumb must report the rule as
#   failed (an incomplete result, exit 2), never as passed.
# custom:
#   id: ACME-BROKEN-001
#   severity: low
#   resource_types: [vpc]
#   controls:
#     hipaa: []
#     soc2: []
#     gdpr: []
#   rationale: >-
#     A test fixture.
#   remediation: >-
#     None.
#   examples:
#     fail: |
#       resource "aws_vpc" "v" {
#         cidr_block = "10.0.0.0/16"
#       }
#     pass: |
#       resource "aws_vpc" "v" {
#         cidr_block = "10.0.0.0/16"
#       }
package plumb.rules.acme_broken_001

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	count(v.aws_default) > 0
	msg := "unreachable"
}
