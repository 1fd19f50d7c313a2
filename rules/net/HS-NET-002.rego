# METADATA
# title: Security group allows SSH or RDP from the internet
# description: >-
#   No security group ingress rule whose source is `0.0.0.0/0` or `::/0` may cover port
#   22 (SSH) or 3389 (RDP): a port range that contains them, or all traffic
#   (protocol `-1`). Inline `ingress` blocks, `aws_security_group_rule` and
#   `aws_vpc_security_group_ingress_rule` are all judged. A rule opening only SSH or RDP is
#   this rule's finding alone; one opening more (a range, all traffic) is also HS-NET-001's,
#   for the other ports.
# custom:
#   id: HS-NET-002
#   severity: critical
#   resource_types: [security_group]
#   controls:
#     hipaa: ["164.308(a)(1)(ii)(B)", "164.312(e)(1)"]
#     soc2: [CC6.6, CC7.2]
#     gdpr: []
#   rationale: >-
#     Remote administration ports open to the internet are brute-forced and exploited
#     continuously; one weak password or unpatched service gives an attacker a shell
#     next to your ePHI. Administrative access should go through a bastion, VPN, or
#     SSM Session Manager, never straight from anywhere.
#     Deliberate difference from checkov: CKV_AWS_24/25 miss an
#     `aws_vpc_security_group_ingress_rule` with `ip_protocol = "-1"` (all traffic, so SSH
#     and RDP too); Plumb reports it.
#   remediation: >-
#     Remove the rule, or narrow its source to the CIDR of your VPN or bastion, or to a
#     referenced security group. Prefer SSM Session Manager or EC2 Instance Connect
#     Endpoint, which need no inbound port at all.
#   fix:
#     judges: [ingress, egress, cidr_blocks, ipv6_cidr_blocks, cidr_ipv4, cidr_ipv6, from_port, to_port, protocol, ip_protocol]
#   examples:
#     fail: |
#       resource "aws_security_group" "bastion" {
#         name   = "clinic-bastion"
#         vpc_id = "vpc-0123456789abcdef0"
#       }
#
#       resource "aws_vpc_security_group_ingress_rule" "ssh" {
#         security_group_id = aws_security_group.bastion.id
#         description       = "SSH from anywhere"
#         ip_protocol       = "tcp"
#         from_port         = 22
#         to_port           = 22
#         cidr_ipv4         = "0.0.0.0/0"
#       }
#     pass: |
#       resource "aws_security_group" "bastion" {
#         name   = "clinic-bastion"
#         vpc_id = "vpc-0123456789abcdef0"
#       }
#
#       resource "aws_vpc_security_group_ingress_rule" "ssh" {
#         security_group_id = aws_security_group.bastion.id
#         description       = "SSH from the office VPN"
#         ip_protocol       = "tcp"
#         from_port         = 22
#         to_port           = 22
#         cidr_ipv4         = "198.51.100.0/24"
#       }
package plumb.rules.hs_net_002

admin_ports := {22: "SSH (22)", 3389: "RDP (3389)"}

deny contains {"id": v.id, "address": r.address, "message": msg} if {
	some v in input.views
	is_array(v.ingress)
	some r in v.ingress
	r.open_to_internet == true
	is_array(r.well_known_ports)
	opened := [name | some p in r.well_known_ports; name := admin_ports[p]]
	count(opened) > 0
	msg := sprintf("security group %s allows %s from %s", [v.name, concat(" and ", opened), r.source])
}
