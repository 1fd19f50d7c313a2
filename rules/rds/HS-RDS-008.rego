# METADATA
# title: RDS does not enforce TLS connections
# description: >-
#   The parameter group of a DB instance or cluster must force TLS: `rds.force_ssl = 1`
#   for PostgreSQL and SQL Server, `require_secure_transport = 1` (or ON) for MySQL and
#   MariaDB. No parameter group means the engine default: on for PostgreSQL 15 and later
#   (an omitted `engine_version` is the current major), off otherwise. A group named but
#   not in the scanned resources is unknown.
# custom:
#   id: HS-RDS-008
#   severity: high
#   resource_types: [rds_instance, rds_cluster]
#   controls:
#     hipaa: []
#     soc2: []
#     gdpr: []
#   rationale: >-
#     Without enforcement a client that does not ask for TLS sends credentials and query
#     results in clear text inside the VPC. HIPAA treats encryption in transit as
#     addressable; forcing it on the server is the only setting that does not depend on
#     every client. Deliberate difference from checkov: CKV2_AWS_69 passes when no
#     parameter group is attached; Plumb resolves the engine default.
#   remediation: >-
#     Attach an `aws_db_parameter_group` (or `aws_rds_cluster_parameter_group`) with
#     `parameter { name = "rds.force_ssl" value = "1" }` (PostgreSQL) or
#     `require_secure_transport = "1"` (MySQL), and reference it with
#     `parameter_group_name`.
#   fix:
#     judges: [parameter, parameter_group_name, db_cluster_parameter_group_name]
#   examples:
#     fail: |
#       resource "aws_db_instance" "records" {
#         identifier           = "clinic-records"
#         engine               = "postgres"
#         engine_version       = "14.12"
#         instance_class       = "db.t3.micro"
#         allocated_storage    = 20
#         parameter_group_name = aws_db_parameter_group.records.name
#       }
#
#       resource "aws_db_parameter_group" "records" {
#         name   = "clinic-records"
#         family = "postgres14"
#         parameter {
#           name  = "rds.force_ssl"
#           value = "0"
#         }
#       }
#     pass: |
#       resource "aws_db_instance" "records" {
#         identifier           = "clinic-records"
#         engine               = "postgres"
#         engine_version       = "14.12"
#         instance_class       = "db.t3.micro"
#         allocated_storage    = 20
#         parameter_group_name = aws_db_parameter_group.records.name
#       }
#
#       resource "aws_db_parameter_group" "records" {
#         name   = "clinic-records"
#         family = "postgres14"
#         parameter {
#           name  = "rds.force_ssl"
#           value = "1"
#         }
#       }
package plumb.rules.hs_rds_008

deny contains {"id": v.id, "address": v.tls.address, "message": msg} if {
	some v in input.views
	v.tls.enforced == false
	msg := message(v)
}

message(v) := sprintf("%s %s does not force TLS (%s is not 1)", [kind[v.type], v.name, v.tls.parameter]) if v.tls.parameter != null

message(v) := sprintf("%s %s (engine %s) has no TLS enforcement the baseline knows of", [kind[v.type], v.name, v.engine]) if v.tls.parameter == null

kind := {"rds_instance": "DB instance", "rds_cluster": "DB cluster"}
