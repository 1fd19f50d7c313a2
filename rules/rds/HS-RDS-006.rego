# METADATA
# title: RDS database is publicly accessible
# description: >-
#   A DB instance, and every `aws_rds_cluster_instance` of a cluster, must not set
#   `publicly_accessible = true` (the default is false).
# custom:
#   id: HS-RDS-006
#   severity: critical
#   resource_types: [rds_instance, rds_cluster]
#   controls:
#     hipaa: ["164.308(a)(3)(i)", "164.312(a)(1)"]
#     soc2: ["CC6.2"]
#     gdpr: []
#   rationale: >-
#     A publicly accessible database gets a public DNS name and address; only its
#     security group then stands between the internet and a login prompt to the records.
#   remediation: >-
#     Set `publicly_accessible = false` and place the database in private subnets; reach
#     it through the application tier, a bastion or Session Manager port forwarding.
#   fix:
#     changes:
#       - on: [aws_db_instance, aws_rds_cluster_instance]
#         set: {publicly_accessible: false}
#   examples:
#     fail: |
#       resource "aws_db_instance" "records" {
#         identifier        = "clinic-records"
#         engine            = "postgres"
#         instance_class    = "db.t3.micro"
#         allocated_storage = 20
#         publicly_accessible = true
#       }
#     pass: |
#       resource "aws_db_instance" "records" {
#         identifier        = "clinic-records"
#         engine            = "postgres"
#         instance_class    = "db.t3.micro"
#         allocated_storage = 20
#         publicly_accessible = false
#       }
package plumb.rules.hs_rds_006

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.type == "rds_instance"
	v.publicly_accessible == true
	msg := sprintf("DB instance %s is publicly accessible", [v.name])
}

deny contains {"id": v.id, "address": i.address, "message": msg} if {
	some v in input.views
	v.type == "rds_cluster"
	is_array(v.instances)
	some i in v.instances
	i.publicly_accessible == true
	msg := sprintf("instance %s of DB cluster %s is publicly accessible", [i.id, v.name])
}
