# METADATA
# title: ElastiCache replication group is not encrypted at rest
# description: >-
#   A replication group must set `at_rest_encryption_enabled = true`. Omitted, Redis OSS
#   groups are not encrypted; Valkey groups are.
# custom:
#   id: HS-ECA-001
#   severity: high
#   resource_types: [elasticache_replication_group]
#   controls:
#     hipaa: []
#     soc2: []
#     gdpr: []
#   rationale: >-
#     Caches hold session data and query results, often copies of ePHI; unencrypted, they
#     are also unencrypted in snapshots and backups exported to S3.
#   remediation: >-
#     Set `at_rest_encryption_enabled = true` and a customer-managed `kms_key_id`.
#     Existing groups are replaced: plan a migration through a snapshot.
#   fix:
#     judges: [at_rest_encryption_enabled, kms_key_id]
#     changes:
#       - on: aws_elasticache_replication_group
#         set: {at_rest_encryption_enabled: true}
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
#         at_rest_encryption_enabled = true
#         kms_key_id                 = aws_kms_key.cache.arn
#       }
package plumb.rules.hs_eca_001

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.at_rest_encryption_enabled == false
	msg := sprintf("ElastiCache replication group %s is not encrypted at rest", [v.name])
}
