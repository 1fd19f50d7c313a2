# METADATA
# title: Default security group allows traffic
# description: >-
#   A VPC's default security group must have no ingress and no egress rules, whichever
#   way they are written (inline blocks of `aws_default_security_group`, or rule
#   resources pointing at it). A VPC whose default group is not declared is only judged
#   in the live view: Terraform does not manage it, and AWS creates it with allow-from-
#   self and allow-all-egress rules.
# custom:
#   id: HS-VPC-003
#   severity: medium
#   resource_types: [security_group]
#   controls:
#     hipaa: []
#     soc2: []
#     gdpr: []
#   rationale: >-
#     Anything launched without an explicit security group lands in the default group. An
#     empty default group makes that mistake fail closed instead of silently joining a
#     network of peers.
#     checkov's CKV2_AWS_12 reports the same gap on the `aws_vpc`; Plumb points at the
#     default security group that has the rules.
#   remediation: >-
#     Declare `aws_default_security_group` for each VPC with no `ingress` or `egress`
#     blocks, and attach purpose-made groups to every resource.
#   fix:
#     changes:
#       - on: aws_default_security_group
#         remove: [ingress, egress]
#   examples:
#     fail: |
#       resource "aws_default_security_group" "default" {
#         vpc_id = aws_vpc.main.id
#         ingress {
#           protocol  = "-1"
#           from_port = 0
#           to_port   = 0
#           self      = true
#         }
#       }
#     pass: |
#       resource "aws_default_security_group" "default" {
#         vpc_id = aws_vpc.main.id
#       }
package plumb.rules.hs_vpc_003

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.is_default == true
	is_array(v.ingress)
	is_array(v.egress)
	n := count(v.ingress) + count(v.egress)
	n > 0
	msg := sprintf("default security group %s has %d rule(s); it should allow nothing", [v.name, n])
}
