# METADATA
# title: RDS backups are kept for less than 35 days
# description: >-
#   DB instances and clusters must keep automated backups for 35 days, the RDS maximum
#   (`backup_retention_period = 35`). An omitted argument fails (the provider default is
#   0 for an instance and 1 for a cluster). Read replicas are not judged.
# custom:
#   id: HS-RDS-004
#   severity: high
#   resource_types: [rds_instance, rds_cluster]
#   controls:
#     hipaa: ["164.308(a)(1)(ii)(B)", "164.308(a)(4)(ii)(A)", "164.308(a)(7)(i)", "164.308(a)(7)(ii)(A)", "164.308(a)(7)(ii)(B)", "164.308(a)(7)(ii)(C)", "164.312(a)(2)(ii)"]
#     soc2: [CC7.4, A1.2]
#     gdpr: [Art. 32]
#   rationale: >-
#     Automated backups are what point-in-time recovery restores from. Corruption or a
#     bad migration is often found weeks later; a short window means the last good copy
#     is already gone. HIPAA's contingency plan requires retrievable exact copies of ePHI.
#     Deliberate difference from checkov: CKV_AWS_133 passes any retention from 1 to 35
#     days and an omitted argument; Plumb requires 35 and fails the omitted default.
#   remediation: >-
#     Set `backup_retention_period = 35` on the `aws_db_instance` or `aws_rds_cluster`.
#     For retention beyond 35 days, add AWS Backup plans or scheduled snapshot copies.
#   fix:
#     changes:
#       - on: [aws_db_instance, aws_rds_cluster]
#         set: {backup_retention_period: 35}
#   examples:
#     fail: |
#       resource "aws_db_instance" "records" {
#         identifier              = "clinic-records"
#         engine                  = "postgres"
#         instance_class          = "db.t3.micro"
#         allocated_storage       = 20
#         backup_retention_period = 7
#       }
#     pass: |
#       resource "aws_db_instance" "records" {
#         identifier              = "clinic-records"
#         engine                  = "postgres"
#         instance_class          = "db.t3.micro"
#         allocated_storage       = 20
#         backup_retention_period = 35
#       }
package plumb.rules.hs_rds_004

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.is_replica != true
	is_number(v.backup_retention_period)
	v.backup_retention_period < 35
	msg := sprintf("%s %s keeps automated backups for %d days; the baseline requires 35", [kind[v.type], v.name, v.backup_retention_period])
}

kind := {"rds_instance": "DB instance", "rds_cluster": "DB cluster"}
