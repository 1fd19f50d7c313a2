# METADATA
# title: Root user has an access key
# description: >-
#   No `aws_iam_access_key` may belong to the root user (`user = "root"`). The live view
#   (IAM account summary) is where this is normally found; Terraform can only express the
#   odd root key.
# custom:
#   id: HS-IAM-003
#   severity: critical
#   resource_types: [iam_access_key]
#   controls:
#     hipaa: ["164.308(a)(1)(ii)(B)", "164.308(a)(3)(i)", "164.308(a)(3)(ii)(B)", "164.308(a)(4)(ii)(C)", "164.312(a)(2)(i)"]
#     soc2: []
#     gdpr: ["Art. 25"]
#   rationale: >-
#     The root user cannot be restricted by IAM policies; a root access key is an
#     unrestricted, long-lived credential that no permission boundary or SCP in the
#     account can contain.
#   remediation: >-
#     Delete the root access keys and use IAM roles for automation.
#   fix:
#     judges: [user, status]
#   examples:
#     fail: |
#       resource "aws_iam_access_key" "root" {
#         user = "root"
#       }
#     pass: |
#       resource "aws_iam_access_key" "ci" {
#         user = "ci-deployer"
#       }
package plumb.rules.hs_iam_003

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.root == true
	msg := "the root user has an access key"
}
