# METADATA
# title: EC2 instance or launch template does not require IMDSv2
# description: >-
#   An instance or launch template must set `metadata_options { http_tokens =
#   "required" }` or disable the metadata endpoint (`http_endpoint = "disabled"`). The
#   provider default is `http_tokens = "optional"`, so an omitted block fails.
# custom:
#   id: HS-EC2-001
#   severity: high
#   resource_types: [ec2_instance, launch_template]
#   controls:
#     hipaa: []
#     soc2: ["CC7.2"]
#     gdpr: []
#   rationale: >-
#     IMDSv1 answers any GET request, so a server-side request forgery in the application
#     hands out the instance role's credentials. IMDSv2 requires a session token obtained
#     with a PUT, which SSRF and most open proxies cannot send.
#   remediation: >-
#     Add `metadata_options { http_tokens = "required" }` to the `aws_instance` (and to
#     launch templates), after checking that the AMI's SDKs support IMDSv2.
#   fix:
#     changes:
#       - on: [aws_instance, aws_launch_template]
#         set: {metadata_options: {http_tokens: required}}
#   examples:
#     fail: |
#       resource "aws_instance" "app" {
#         ami           = "ami-0123456789abcdef0"
#         instance_type = "t3.micro"
#       }
#     pass: |
#       resource "aws_instance" "app" {
#         ami           = "ami-0123456789abcdef0"
#         instance_type = "t3.micro"
#         metadata_options {
#           http_tokens = "required"
#         }
#       }
package plumb.rules.hs_ec2_001

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.metadata_options.imdsv2_required == false
	msg := sprintf("%s %s accepts IMDSv1 requests (http_tokens = %q)", [kind[v.type], v.name, v.metadata_options.http_tokens])
}

kind := {"ec2_instance": "instance", "launch_template": "launch template"}
