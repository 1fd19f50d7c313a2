# METADATA
# title: RDS database is not Multi-AZ
# description: >-
#   A DB instance must set `multi_az = true` (omitted is single-AZ). An Aurora cluster
#   needs two or more `aws_rds_cluster_instance` members not pinned to the same
#   availability zone; a Multi-AZ DB cluster (`db_cluster_instance_class` set) is Multi-
#   AZ by construction. Read replicas are not judged.
# custom:
#   id: HS-RDS-003
#   severity: high
#   resource_types: [rds_instance, rds_cluster]
#   controls:
#     hipaa: ["164.308(a)(1)(ii)(B)", "164.308(a)(7)(i)", "164.308(a)(7)(ii)(A)", "164.308(a)(7)(ii)(B)", "164.308(a)(7)(ii)(C)"]
#     soc2: []
#     gdpr: []
#   rationale: >-
#     A single-AZ database is down for the whole of an availability-zone outage or a host
#     failure, and restoring from backup loses the writes since the last log shipment.
#     HIPAA's contingency plan asks for emergency-mode operation. Deliberate difference
#     from checkov: CKV_AWS_157 checks instances only; Plumb also judges Aurora topology.
#   remediation: >-
#     Set `multi_az = true` on the `aws_db_instance`; for Aurora, add a second
#     `aws_rds_cluster_instance` (RDS places members in different zones of the subnet
#     group).
#   fix:
#     judges: [multi_az, availability_zone, availability_zones]
#     changes:
#       - on: aws_db_instance
#         set: {multi_az: true}
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
#         multi_az          = true
#       }
package plumb.rules.hs_rds_003

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.is_replica != true
	v.multi_az == false
	msg := message(v)
}

message(v) := sprintf("DB instance %s runs in a single availability zone", [v.name]) if v.type == "rds_instance"

message(v) := sprintf("DB cluster %s declares no instances, so none in a second availability zone", [v.name]) if {
	v.type == "rds_cluster"
	is_array(v.instances)
	count(v.instances) == 0
}

message(v) := sprintf("DB cluster %s has %d instance(s), all in one availability zone", [v.name, count(v.instances)]) if {
	v.type == "rds_cluster"
	is_array(v.instances)
	count(v.instances) > 0
}

message(v) := sprintf("DB cluster %s runs in a single availability zone", [v.name]) if {
	v.type == "rds_cluster"
	not is_array(v.instances)
}
