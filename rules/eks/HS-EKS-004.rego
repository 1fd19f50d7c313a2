# METADATA
# title: EKS node group allows SSH from anywhere
# description: >-
#   A node group with `remote_access { ec2_ssh_key }` must also set
#   `source_security_group_ids`; without them EKS opens port 22 to `0.0.0.0/0`.
# custom:
#   id: HS-EKS-004
#   severity: high
#   resource_types: [eks_node_group]
#   controls:
#     hipaa: []
#     soc2: []
#     gdpr: []
#   rationale: >-
#     Worker nodes run every pod of the cluster; SSH open to the internet invites brute
#     force and exploits against the node itself, bypassing Kubernetes access control.
#   remediation: >-
#     Set `source_security_group_ids` to a bastion or VPN security group, or drop
#     `remote_access` and use Session Manager.
#   fix:
#     judges: [remote_access]
#   examples:
#     fail: |
#       resource "aws_eks_node_group" "workers" {
#         cluster_name    = aws_eks_cluster.main.name
#         node_group_name = "workers"
#         node_role_arn   = aws_iam_role.nodes.arn
#         subnet_ids      = [aws_subnet.a.id]
#         scaling_config {
#           desired_size = 2
#           max_size     = 3
#           min_size     = 1
#         }
#         remote_access {
#           ec2_ssh_key = "ops"
#         }
#       }
#     pass: |
#       resource "aws_eks_node_group" "workers" {
#         cluster_name    = aws_eks_cluster.main.name
#         node_group_name = "workers"
#         node_role_arn   = aws_iam_role.nodes.arn
#         subnet_ids      = [aws_subnet.a.id]
#         scaling_config {
#           desired_size = 2
#           max_size     = 3
#           min_size     = 1
#         }
#         remote_access {
#           ec2_ssh_key = "ops"
#           source_security_group_ids = [aws_security_group.bastion.id]
#         }
#       }
package plumb.rules.hs_eks_004

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.ssh_open_to_world == true
	msg := sprintf("EKS node group %s allows SSH from 0.0.0.0/0 (a key without source security groups)", [v.name])
}
