# METADATA
# title: Subnet assigns public IPv4 addresses on launch
# description: >-
#   A subnet must not set `map_public_ip_on_launch = true` (the default is false). Public
#   load-balancer tiers that need it are waived explicitly.
# custom:
#   id: HS-VPC-002
#   severity: medium
#   resource_types: [subnet]
#   controls:
#     hipaa: []
#     soc2: ["CC6.6"]
#     gdpr: []
#   rationale: >-
#     An instance launched into such a subnet gets an internet-routable address without
#     anyone asking for one; one forgotten security-group rule later it is reachable from
#     the internet.
#   remediation: >-
#     Remove `map_public_ip_on_launch` (or set it to false) and give the few internet-
#     facing resources an Elastic IP or a load balancer instead. Waive the rule for a
#     deliberate public tier.
#   fix:
#     changes:
#       - on: aws_subnet
#         set: {map_public_ip_on_launch: false}
#   examples:
#     fail: |
#       resource "aws_subnet" "app" {
#         vpc_id                  = aws_vpc.main.id
#         cidr_block              = "10.0.1.0/24"
#         map_public_ip_on_launch = true
#       }
#     pass: |
#       resource "aws_subnet" "app" {
#         vpc_id     = aws_vpc.main.id
#         cidr_block = "10.0.1.0/24"
#       }
package plumb.rules.hs_vpc_002

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.map_public_ip_on_launch == true
	msg := sprintf("subnet %s assigns a public IPv4 address to every instance launched in it", [v.name])
}
