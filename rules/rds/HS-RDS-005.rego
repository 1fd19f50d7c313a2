# METADATA
# title: RDS deletion protection is off
# description: >-
#   DB instances and clusters must have `deletion_protection = true`. An omitted argument
#   fails: the provider default is false.
# custom:
#   id: HS-RDS-005
#   severity: high
#   resource_types: [rds_instance, rds_cluster]
#   controls:
#     hipaa: []
#     soc2: [C1.1]
#     gdpr: []
#   rationale: >-
#     Without it, one API call, console click or `terraform destroy` deletes the database,
#     and with `delete_automated_backups` (the default) its automated backups too.
#     Deletion protection makes deleting a deliberate two-step change.
#   remediation: >-
#     Set `deletion_protection = true` on the `aws_db_instance` or `aws_rds_cluster`. To
#     retire a database later, first apply `deletion_protection = false`, then remove it.
#   fix:
#     changes:
#       - on: [aws_db_instance, aws_rds_cluster]
#         set: {deletion_protection: true}
#   examples:
#     fail: |
#       resource "aws_rds_cluster" "analytics" {
#         cluster_identifier = "clinic-analytics"
#         engine             = "aurora-postgresql"
#         storage_encrypted  = true
#       }
#     pass: |
#       resource "aws_rds_cluster" "analytics" {
#         cluster_identifier  = "clinic-analytics"
#         engine              = "aurora-postgresql"
#         storage_encrypted   = true
#         deletion_protection = true
#       }
package plumb.rules.hs_rds_005

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.deletion_protection == false
	msg := sprintf("%s %s can be deleted: deletion protection is off", [kind[v.type], v.name])
}

kind := {"rds_instance": "DB instance", "rds_cluster": "DB cluster"}
