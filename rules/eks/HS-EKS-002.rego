# METADATA
# title: EKS API endpoint is public
# description: >-
#   An EKS cluster must set `vpc_config { endpoint_public_access = false }` (the default
#   is true) so that the API server is reachable only from the VPC. Strict on purpose: a
#   public endpoint limited by `public_access_cidrs` still fails, and is waived where it
#   is deliberate; the message says when it is open to the whole internet (omitted
#   `public_access_cidrs` means `0.0.0.0/0`).
# custom:
#   id: HS-EKS-002
#   severity: high
#   resource_types: [eks_cluster]
#   controls:
#     hipaa: []
#     soc2: []
#     gdpr: []
#   rationale: >-
#     A public API endpoint exposes the cluster's authentication to the internet: a
#     leaked kubeconfig or token works from anywhere, and API server vulnerabilities are
#     reachable by anyone. Matches checkov CKV_AWS_39; stricter than Prowler, which only
#     fails public endpoints open to 0.0.0.0/0.
#   remediation: >-
#     Set `endpoint_public_access = false` and `endpoint_private_access = true`, and
#     reach the API through a VPN, a bastion or CI runners in the VPC. If the endpoint
#     must stay public, restrict `public_access_cidrs` and waive this rule.
#   fix:
#     changes:
#       - on: aws_eks_cluster
#         set: {vpc_config: {endpoint_public_access: false, endpoint_private_access: true}}
#   examples:
#     fail: |
#       resource "aws_eks_cluster" "main" {
#         name     = "clinic"
#         role_arn = aws_iam_role.eks.arn
#         vpc_config {
#           subnet_ids = [aws_subnet.a.id, aws_subnet.b.id]
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
#       }
package plumb.rules.hs_eks_002

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.endpoint_public_access == true
	msg := message(v)
}

message(v) := sprintf("EKS cluster %s has a public API endpoint open to the internet", [v.name]) if v.public_to_internet == true

message(v) := sprintf("EKS cluster %s has a public API endpoint (limited to %s)", [v.name, concat(", ", v.public_access_cidrs)]) if v.public_to_internet != true
