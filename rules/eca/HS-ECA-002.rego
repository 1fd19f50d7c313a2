# METADATA
# title: ElastiCache replication group does not require TLS
# description: >-
#   A replication group must set `transit_encryption_enabled = true` (the default is
#   false) and must not use `transit_encryption_mode = "preferred"`, which still accepts
#   plain-text clients.
# custom:
#   id: HS-ECA-002
#   severity: high
#   resource_types: [elasticache_replication_group]
#   controls:
#     hipaa: []
#     soc2: ["CC6.7"]
#     gdpr: []
#   rationale: >-
#     Without TLS, cached data and the AUTH token cross the VPC in clear text to anyone
#     who can capture traffic on a compromised host.
#   remediation: >-
#     Set `transit_encryption_enabled = true` (and `transit_encryption_mode = "required"`
#     once clients use TLS).
#   fix:
#     judges: [transit_encryption_enabled, transit_encryption_mode]
#     changes:
#       - on: aws_elasticache_replication_group
#         set: {transit_encryption_enabled: true}
#   examples:
#     fail: |
#       resource "aws_elasticache_replication_group" "sessions" {
#         replication_group_id = "clinic-sessions"
#         description          = "session cache"
#         engine               = "redis"
#         node_type            = "cache.t3.micro"
#         num_cache_clusters   = 2
#       }
#     pass: |
#       resource "aws_elasticache_replication_group" "sessions" {
#         replication_group_id = "clinic-sessions"
#         description          = "session cache"
#         engine               = "redis"
#         node_type            = "cache.t3.micro"
#         num_cache_clusters   = 2
#         transit_encryption_enabled = true
#       }
package plumb.rules.hs_eca_002

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.transit_encryption_enabled == false
	msg := sprintf("ElastiCache replication group %s does not encrypt in transit", [v.name])
}

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.transit_encryption_enabled == true
	v.transit_encryption_mode == "preferred"
	msg := sprintf("ElastiCache replication group %s still accepts plain-text connections (transit_encryption_mode = preferred)", [v.name])
}
