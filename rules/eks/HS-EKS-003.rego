# METADATA
# title: EKS control-plane audit logging is off
# description: >-
#   An EKS cluster must include `audit` in `enabled_cluster_log_types` (omitted logs
#   nothing).
# custom:
#   id: HS-EKS-003
#   severity: medium
#   resource_types: [eks_cluster]
#   controls:
#     hipaa: []
#     soc2: []
#     gdpr: []
#   rationale: >-
#     The Kubernetes audit log records who read which secret and who exec-ed into which
#     pod; nothing else in AWS sees inside the cluster. Deliberate difference from
#     checkov: CKV_AWS_37 requires all five log types; Plumb requires the audit log and
#     leaves the noisier ones to the team.
#   remediation: >-
#     Set `enabled_cluster_log_types = ["api", "audit", "authenticator"]` and give the
#     `/aws/eks/<name>/cluster` log group retention and KMS encryption.
#   fix:
#     changes:
#       - on: aws_eks_cluster
#         set: {enabled_cluster_log_types: [api, audit, authenticator]}
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
#         enabled_cluster_log_types = ["api", "audit", "authenticator"]
#       }
package plumb.rules.hs_eks_003

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	is_array(v.enabled_cluster_log_types)
	not "audit" in v.enabled_cluster_log_types
	msg := sprintf("EKS cluster %s does not send its audit log to CloudWatch Logs", [v.name])
}
