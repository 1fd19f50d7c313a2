# METADATA
# title: RDS storage is not encrypted with a customer-managed key
# description: >-
#   An encrypted DB instance or cluster must name a customer-managed key in `kms_key_id`;
#   omitted, RDS uses the AWS-managed `aws/rds` key. Unencrypted storage is HS-RDS-001's
#   finding; read replicas are not judged.
# custom:
#   id: HS-RDS-002
#   severity: medium
#   resource_types: [rds_instance, rds_cluster]
#   controls:
#     hipaa: []
#     soc2: []
#     gdpr: []
#   rationale: >-
#     The `aws/rds` key's policy is fixed by AWS: you cannot restrict who may use it,
#     revoke it, or share encrypted snapshots with another account. A customer-managed
#     key puts decryption under a policy you control and audit. Deliberate difference
#     from checkov: CKV_AWS_327 checks clusters only; Plumb checks instances too.
#     Unencrypted storage is left to HS-RDS-001 rather than reported twice; checkov's
#     CKV_AWS_327 fails it here too.
#   remediation: >-
#     Create an `aws_kms_key` (rotation on) and set `kms_key_id =
#     aws_kms_key.<name>.arn`. Changing the key of existing storage needs a snapshot copy
#     with the new key and a restore.
#   fix:
#     judges: [kms_key_id, storage_encrypted]
#   examples:
#     fail: |
#       resource "aws_db_instance" "records" {
#         identifier        = "clinic-records"
#         engine            = "postgres"
#         instance_class    = "db.t3.micro"
#         allocated_storage = 20
#         storage_encrypted = true
#       }
#     pass: |
#       resource "aws_db_instance" "records" {
#         identifier        = "clinic-records"
#         engine            = "postgres"
#         instance_class    = "db.t3.micro"
#         allocated_storage = 20
#         storage_encrypted = true
#         kms_key_id        = aws_kms_key.rds.arn
#       }
package plumb.rules.hs_rds_002

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.is_replica != true
	v.storage_encrypted == true
	v.customer_managed_key == false
	msg := sprintf("%s %s is encrypted with the AWS-managed aws/rds key, not a customer-managed key", [kind[v.type], v.name])
}

kind := {"rds_instance": "DB instance", "rds_cluster": "DB cluster"}
