# METADATA
# title: RDS storage is not encrypted
# description: >-
#   DB instances and clusters must have `storage_encrypted = true`. An omitted argument
#   fails: the provider default is unencrypted (except Aurora Serverless v1 clusters,
#   which are always encrypted). A read replica that omits it inherits its source's
#   encryption and is not judged from the argument.
# custom:
#   id: HS-RDS-001
#   severity: critical
#   resource_types: [rds_instance, rds_cluster]
#   controls:
#     hipaa: ["164.308(a)(1)(ii)(B)", "164.308(a)(4)(ii)(A)", "164.312(a)(2)(iv)", "164.312(e)(2)(ii)"]
#     soc2: [PI1.5]
#     gdpr: [Art. 32]
#   rationale: >-
#     Encryption at rest covers the database volumes, automated backups, snapshots and
#     read replicas. It is the HIPAA addressable safeguard for stored ePHI, and a lost or
#     shared snapshot of an unencrypted database is a reportable breach.
#   remediation: >-
#     Set `storage_encrypted = true` and `kms_key_id` to a customer-managed key.
#     Encryption cannot be turned on in place: snapshot the database, copy the snapshot
#     with encryption, and restore from the copy (Terraform replaces the resource when
#     `storage_encrypted` changes).
#   fix:
#     judges: [storage_encrypted, kms_key_id]
#     changes:
#       - on: [aws_db_instance, aws_rds_cluster]
#         set: {storage_encrypted: true}
#   examples:
#     fail: |
#       resource "aws_db_instance" "records" {
#         identifier          = "clinic-records"
#         engine              = "postgres"
#         instance_class      = "db.t3.micro"
#         allocated_storage   = 20
#         deletion_protection = true
#       }
#     pass: |
#       resource "aws_db_instance" "records" {
#         identifier          = "clinic-records"
#         engine              = "postgres"
#         instance_class      = "db.t3.micro"
#         allocated_storage   = 20
#         deletion_protection = true
#         storage_encrypted   = true
#         kms_key_id          = aws_kms_key.phi.arn
#       }
package plumb.rules.hs_rds_001

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.storage_encrypted == false
	msg := sprintf("%s %s does not encrypt its storage", [kind[v.type], v.name])
}

kind := {"rds_instance": "DB instance", "rds_cluster": "DB cluster"}
