# METADATA
# title: RDS logs are not exported to CloudWatch Logs
# description: >-
#   A DB instance or cluster must export its logs (`enabled_cloudwatch_logs_exports` non-
#   empty; omitted exports nothing). PostgreSQL engines must export at least
#   `postgresql`.
# custom:
#   id: HS-RDS-007
#   severity: medium
#   resource_types: [rds_instance, rds_cluster]
#   controls:
#     hipaa: ["164.308(a)(4)(ii)(A)", "164.312(b)"]
#     soc2: ["CC7.2", "CC7.3", "A1.2", "PI1.3"]
#     gdpr: ["Art. 32"]
#   rationale: >-
#     Database logs record connections, failed logins and, with auditing on, queries
#     against ePHI. Kept only on the instance they rotate away within days and vanish
#     with it; exported, they are retained, searchable and alarmed on.
#   remediation: >-
#     Set `enabled_cloudwatch_logs_exports` to the engine's logs, e.g. `["postgresql",
#     "upgrade"]` for PostgreSQL or `["audit", "error", "general", "slowquery"]` for
#     MySQL, and give the log groups retention and KMS encryption.
#   fix:
#     judges: [enabled_cloudwatch_logs_exports]
#   examples:
#     fail: |
#       resource "aws_db_instance" "records" {
#         identifier        = "clinic-records"
#         engine            = "postgres"
#         instance_class    = "db.t3.micro"
#         allocated_storage = 20
#       }
#     pass: |
#       resource "aws_db_instance" "records" {
#         identifier        = "clinic-records"
#         engine            = "postgres"
#         instance_class    = "db.t3.micro"
#         allocated_storage = 20
#         enabled_cloudwatch_logs_exports = ["postgresql", "upgrade"]
#       }
package plumb.rules.hs_rds_007

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	is_array(v.enabled_cloudwatch_logs_exports)
	count(v.enabled_cloudwatch_logs_exports) == 0
	msg := sprintf("%s %s exports no logs to CloudWatch Logs", [kind[v.type], v.name])
}

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	is_array(v.enabled_cloudwatch_logs_exports)
	count(v.enabled_cloudwatch_logs_exports) > 0
	is_string(v.engine)
	contains(v.engine, "postgres")
	not "postgresql" in v.enabled_cloudwatch_logs_exports
	msg := sprintf("%s %s does not export the postgresql log", [kind[v.type], v.name])
}

kind := {"rds_instance": "DB instance", "rds_cluster": "DB cluster"}
