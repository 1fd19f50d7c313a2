# METADATA
# title: IAM policy grants full administrator access
# description: >-
#   No IAM policy (`aws_iam_policy`, or an inline role, user or group policy) may `Allow`
#   action `"*"` (or `"*:*"`) on resource `"*"`, and no attachment may attach the AWS-
#   managed `AdministratorAccess` policy. Policies built with
#   `data.aws_iam_policy_document` are judged in the state view, where the document is
#   resolved.
# custom:
#   id: HS-IAM-001
#   severity: critical
#   resource_types: [iam_policy, iam_attachment]
#   controls:
#     hipaa: ["164.308(a)(1)(ii)(B)", "164.308(a)(3)(i)", "164.308(a)(3)(ii)(B)", "164.308(a)(4)(i)", "164.308(a)(4)(ii)(B)", "164.308(a)(4)(ii)(C)", "164.312(a)(1)"]
#     soc2: ["CC1.3", "CC6.3"]
#     gdpr: ["Art. 25"]
#   rationale: >-
#     A principal with `*` on `*` can read every record, disable logging and delete
#     backups; a leaked credential or a compromised workload becomes a full account
#     takeover. HIPAA's minimum-necessary access standard asks for least privilege.
#   remediation: >-
#     Grant the specific actions and resources the principal needs; keep break-glass
#     administrator access in a separately monitored role assumed through SSO, and waive
#     it explicitly.
#   fix:
#     judges: [policy]
#   examples:
#     fail: |
#       resource "aws_iam_policy" "ops" {
#         name = "ops"
#         policy = jsonencode({
#           Version   = "2012-10-17"
#           Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
#         })
#       }
#     pass: |
#       resource "aws_iam_policy" "ops" {
#         name = "ops"
#         policy = jsonencode({
#           Version   = "2012-10-17"
#           Statement = [{ Effect = "Allow", Action = ["s3:GetObject"], Resource = "arn:aws:s3:::clinic-reports/*" }]
#         })
#       }
package plumb.rules.hs_iam_001

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.type == "iam_policy"
	v.admin == true
	msg := sprintf("IAM policy %s allows every action on every resource", [v.name])
}

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.type == "iam_attachment"
	v.administrator_access == true
	msg := sprintf("%s attaches AdministratorAccess", [v.name])
}
