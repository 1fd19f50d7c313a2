# METADATA
# title: VPC has no flow log capturing all traffic
# description: >-
#   Every VPC needs an `aws_flow_log` with `vpc_id` set to it, `traffic_type = "ALL"` and
#   a destination (`log_destination` or the legacy `log_group_name`). ACCEPT-only or
#   REJECT-only logs are partial and fail.
# custom:
#   id: HS-VPC-001
#   severity: high
#   resource_types: [vpc]
#   controls:
#     hipaa: ["164.308(a)(1)(ii)(D)", "164.308(a)(3)(ii)(A)", "164.308(a)(6)(ii)", "164.312(b)", "164.312(c)(2)"]
#     soc2: ["CC7.2", "CC7.3"]
#     gdpr: ["Art. 25", "Art. 30"]
#   rationale: >-
#     Flow logs are the only record of which addresses talked to a workload: without them
#     an incident response cannot tell whether ePHI left the network or who probed it.
#     Deliberate difference from checkov: CKV2_AWS_11 passes any flow log; Plumb requires
#     ALL traffic and a destination.
#   remediation: >-
#     Add an `aws_flow_log` with `vpc_id = aws_vpc.<name>.id`, `traffic_type = "ALL"` and
#     a `log_destination` (a KMS-encrypted CloudWatch log group or an S3 bucket).
#   fix:
#     judges: []
#   examples:
#     fail: |
#       resource "aws_vpc" "main" {
#         cidr_block = "10.0.0.0/16"
#       }
#     pass: |
#       resource "aws_vpc" "main" {
#         cidr_block = "10.0.0.0/16"
#       }
#
#       resource "aws_flow_log" "main" {
#         vpc_id          = aws_vpc.main.id
#         traffic_type    = "ALL"
#         log_destination = aws_cloudwatch_log_group.flow.arn
#         iam_role_arn    = aws_iam_role.flow.arn
#       }
package plumb.rules.hs_vpc_001

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.flow_logs_capture_all == false
	msg := message(v)
}

message(v) := sprintf("VPC %s has no flow log", [v.name]) if {
	is_array(v.flow_logs)
	count(v.flow_logs) == 0
}

message(v) := sprintf("VPC %s has no flow log capturing ALL traffic to a destination", [v.name]) if {
	not flow_logs_listed(v)
}

message(v) := sprintf("VPC %s has no flow log capturing ALL traffic to a destination", [v.name]) if {
	flow_logs_listed(v)
	count(v.flow_logs) > 0
}

flow_logs_listed(v) if is_array(v.flow_logs)
