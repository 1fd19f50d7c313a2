# METADATA
# title: Security group allows inbound traffic from the internet
# description: >-
#   No security group ingress rule may have `0.0.0.0/0` or `::/0` as its source, on any
#   port or protocol, whether the rule is an inline `ingress` block, an
#   `aws_security_group_rule` or an `aws_vpc_security_group_ingress_rule`. Internet-facing
#   load balancers that must accept 443 or 80 from anywhere take a waiver. A rule that opens
#   only SSH (22) or only RDP (3389) is reported once, by HS-NET-002 (critical), not again
#   here: one open rule, one finding. A rule that opens more (a port range, all traffic)
#   is reported by both: HS-NET-002 for the administration ports, this rule for the rest.
# custom:
#   id: HS-NET-001
#   severity: high
#   resource_types: [security_group]
#   controls:
#     hipaa: ["164.308(a)(1)(ii)(B)"]
#     soc2: [CC6.6]
#     gdpr: []
#   rationale: >-
#     Anything reachable from the whole internet is scanned within minutes of opening.
#     Systems that process ePHI should be reachable only from known networks, load
#     balancers or other security groups; every internet-facing exception should be
#     deliberate and recorded.
#     Deliberate difference from checkov: its per-port checks (CKV_AWS_24, 25, 260, 277)
#     miss an `aws_vpc_security_group_ingress_rule` with `ip_protocol = "-1"` and no
#     ports; Plumb treats it as all traffic, as AWS does.
#   remediation: >-
#     Replace the `0.0.0.0/0` / `::/0` source with the CIDR of a known network, a
#     managed prefix list or a referenced security group (for example the load
#     balancer's). Put public endpoints behind a load balancer and waive its group.
#   fix:
#     judges: [ingress, egress, cidr_blocks, ipv6_cidr_blocks, cidr_ipv4, cidr_ipv6, from_port, to_port, protocol, ip_protocol]
#   examples:
#     fail: |
#       resource "aws_security_group" "app" {
#         name   = "clinic-app"
#         vpc_id = "vpc-0123456789abcdef0"
#
#         ingress {
#           description = "App port from anywhere"
#           protocol    = "tcp"
#           from_port   = 8080
#           to_port     = 8080
#           cidr_blocks = ["0.0.0.0/0"]
#         }
#       }
#     pass: |
#       resource "aws_security_group" "app" {
#         name   = "clinic-app"
#         vpc_id = "vpc-0123456789abcdef0"
#
#         ingress {
#           description = "App port from the VPC"
#           protocol    = "tcp"
#           from_port   = 8080
#           to_port     = 8080
#           cidr_blocks = ["10.20.0.0/16"]
#         }
#       }
package plumb.rules.hs_net_001

deny contains {"id": v.id, "address": r.address, "message": msg} if {
	some v in input.views
	is_array(v.ingress)
	some r in v.ingress
	r.open_to_internet == true
	not only_admin_port(r)
	msg := sprintf("security group %s allows %s from %s", [v.name, traffic(r), r.source])
}

# A rule opening just SSH or just RDP to the internet is HS-NET-002's finding alone.
only_admin_port(r) if {
	r.all_traffic == false
	r.ports.from == r.ports.to
	r.ports.from in {22, 3389}
}

traffic(r) := "all traffic" if r.all_traffic

traffic(r) := sprintf("%s %d", [r.protocol, r.from_port]) if {
	not r.all_traffic
	r.from_port == r.to_port
}

traffic(r) := sprintf("%s %d-%d", [r.protocol, r.from_port, r.to_port]) if {
	not r.all_traffic
	r.from_port != r.to_port
}

traffic(r) := sprintf("protocol %s", [r.protocol]) if {
	not r.all_traffic
	not is_number(r.from_port)
}
