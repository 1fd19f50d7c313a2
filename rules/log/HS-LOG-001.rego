# METADATA
# title: CloudWatch log group is not encrypted with a KMS key
# description: >-
#   A log group must set `kms_key_id`; omitted, CloudWatch Logs encrypts with a service
#   key no policy of yours controls.
# custom:
#   id: HS-LOG-001
#   severity: medium
#   resource_types: [log_group]
#   controls:
#     hipaa: ["164.308(a)(1)(ii)(B)", "164.308(a)(4)(ii)(A)", "164.312(a)(2)(iv)", "164.312(e)(2)(ii)"]
#     soc2: ["CC7.3", "PI1.4"]
#     gdpr: ["Art. 32"]
#   rationale: >-
#     Application logs routinely capture ePHI in request bodies and error messages. A
#     customer-managed key makes reading them need `kms:Decrypt` under a policy you
#     control, and disabling the key cuts access off.
#   remediation: >-
#     Create an `aws_kms_key` whose policy allows the `logs.<region>.amazonaws.com`
#     service principal, and set `kms_key_id = aws_kms_key.<name>.arn`.
#   fix:
#     judges: [kms_key_id]
#   examples:
#     fail: |
#       resource "aws_cloudwatch_log_group" "app" {
#         name = "/clinic/app"
#         retention_in_days = 2192
#       }
#     pass: |
#       resource "aws_cloudwatch_log_group" "app" {
#         name = "/clinic/app"
#         retention_in_days = 2192
#         kms_key_id        = aws_kms_key.logs.arn
#       }
package plumb.rules.hs_log_001

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.kms_encrypted == false
	msg := sprintf("log group %s is not encrypted with a KMS key", [v.name])
}
