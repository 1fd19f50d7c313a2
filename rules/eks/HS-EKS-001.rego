# METADATA
# title: EKS secrets are not envelope-encrypted with KMS
# description: >-
#   An EKS cluster must have an `encryption_config` with `resources = ["secrets"]` and a
#   `provider { key_arn }`.
# custom:
#   id: HS-EKS-001
#   severity: high
#   resource_types: [eks_cluster]
#   controls:
#     hipaa: ["164.308(a)(4)(ii)(A)", "164.312(a)(2)(iv)", "164.312(e)(2)(ii)"]
#     soc2: []
#     gdpr: []
#   rationale: >-
#     Kubernetes secrets hold database passwords and API keys; without envelope
#     encryption they sit in etcd protected only by the disk encryption EKS applies to
#     everything, and anyone with etcd or backup access reads them.
#   remediation: >-
#     Add `encryption_config { resources = ["secrets"] provider { key_arn =
#     aws_kms_key.<name>.arn } }` to the `aws_eks_cluster` (it can be enabled on an
#     existing cluster but not removed).
#   fix:
#     judges: [encryption_config]
#   examples:
#     fail: |
#       resource "aws_eks_cluster" "main" {
#         name     = "clinic"
#         role_arn = aws_iam_role.eks.arn
#         vpc_config {
#           subnet_ids              = [aws_subnet.a.id, aws_subnet.b.id]
#           endpoint_public_access  = false
#           endpoint_private_access = true
#         }
#       }
#     pass: |
#       resource "aws_eks_cluster" "main" {
#         name     = "clinic"
#         role_arn = aws_iam_role.eks.arn
#         vpc_config {
#           subnet_ids              = [aws_subnet.a.id, aws_subnet.b.id]
#           endpoint_public_access  = false
#           endpoint_private_access = true
#         }
#         encryption_config {
#           resources = ["secrets"]
#           provider {
#             key_arn = aws_kms_key.eks.arn
#           }
#         }
#       }
package plumb.rules.hs_eks_001

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.secrets_encrypted == false
	msg := sprintf("EKS cluster %s does not envelope-encrypt Kubernetes secrets with a KMS key", [v.name])
}
