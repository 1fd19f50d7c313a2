# METADATA
# title: EC2 instance gets a public IP address
# description: >-
#   An instance must not get a public IPv4 address: `associate_public_ip_address = true`
#   fails, and so does an omitted argument when the instance's subnet sets
#   `map_public_ip_on_launch = true`, and so does an Elastic IP bound to the instance
#   (`aws_eip` with `instance`, or an `aws_eip_association`).
# custom:
#   id: HS-EC2-003
#   severity: high
#   resource_types: [ec2_instance]
#   controls:
#     hipaa: ["164.308(a)(1)(ii)(B)", "164.308(a)(3)(i)", "164.312(a)(1)"]
#     soc2: ["CC6.6"]
#     gdpr: []
#   rationale: >-
#     A public address makes the instance reachable from the internet as soon as a
#     security-group rule allows it; workloads that process ePHI should sit in private
#     subnets behind a load balancer or an endpoint. Deliberate difference from checkov:
#     CKV_AWS_88 only reads the instance's own argument; Plumb follows an omitted one to
#     the subnet.
#   remediation: >-
#     Set `associate_public_ip_address = false` and launch the instance in a private
#     subnet; reach it through a load balancer, Systems Manager Session Manager or an EC2
#     Instance Connect endpoint.
#   fix:
#     changes:
#       - on: aws_instance
#         set: {associate_public_ip_address: false}
#   examples:
#     fail: |
#       resource "aws_instance" "app" {
#         ami                         = "ami-0123456789abcdef0"
#         instance_type               = "t3.micro"
#         associate_public_ip_address = true
#       }
#     pass: |
#       resource "aws_instance" "app" {
#         ami                         = "ami-0123456789abcdef0"
#         instance_type               = "t3.micro"
#         associate_public_ip_address = false
#       }
package plumb.rules.hs_ec2_003

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	public(v)
	msg := message(v)
}

public(v) if v.public_ip_on_launch == true

public(v) if v.elastic_ip == true

message(v) := sprintf("instance %s has an Elastic IP address", [v.name]) if v.elastic_ip == true

message(v) := sprintf("instance %s gets a public IP address", [v.name]) if {
	v.elastic_ip != true
	v.associate_public_ip_address == true
}

message(v) := sprintf("instance %s gets a public IP address from its subnet's map_public_ip_on_launch", [v.name]) if {
	v.elastic_ip != true
	v.associate_public_ip_address == null
}
