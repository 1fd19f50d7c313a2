# METADATA
# title: ElastiCache replication group has no authentication
# description: >-
#   A replication group must authenticate clients: `auth_token` set (its value may be a
#   variable or sensitive) or `user_group_ids` non-empty (RBAC).
# custom:
#   id: HS-ECA-003
#   severity: medium
#   resource_types: [elasticache_replication_group]
#   controls:
#     hipaa: []
#     soc2: []
#     gdpr: []
#   rationale: >-
#     Without AUTH or RBAC, anything that can reach the port can read and overwrite the
#     cache, including any compromised pod or instance in the VPC. Deliberate difference
#     from checkov: CKV_AWS_31 requires transit encryption together with an auth token
#     and ignores RBAC user groups; Plumb accepts either and checks TLS separately (HS-
#     ECA-002).
#   remediation: >-
#     Set `auth_token` from a secret (with transit encryption on) or attach an
#     `aws_elasticache_user_group` through `user_group_ids`.
#   fix:
#     judges: [auth_token, user_group_ids, transit_encryption_enabled]
#   examples:
#     fail: |
#       resource "aws_elasticache_replication_group" "sessions" {
#         replication_group_id = "clinic-sessions"
#         description          = "session cache"
#         engine               = "redis"
#         node_type            = "cache.t3.micro"
#         num_cache_clusters   = 2
#         transit_encryption_enabled = true
#       }
#     pass: |
#       resource "aws_elasticache_replication_group" "sessions" {
#         replication_group_id = "clinic-sessions"
#         description          = "session cache"
#         engine               = "redis"
#         node_type            = "cache.t3.micro"
#         num_cache_clusters   = 2
#         transit_encryption_enabled = true
#         auth_token                 = var.cache_auth_token
#       }
package plumb.rules.hs_eca_003

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.auth_enabled == false
	msg := sprintf("ElastiCache replication group %s accepts clients without AUTH or RBAC", [v.name])
}
