# KMS: the storage key and a grant letting the replication role use it.

resource "aws_kms_key" "storage" {
  description             = "Storage encryption key"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  tags                    = { Name = "storage" }
}

resource "aws_kms_grant" "replication" {
  name              = "storage-replication"
  key_id            = aws_kms_key.storage.key_id
  grantee_principal = aws_iam_role.replication.arn
  operations        = ["Encrypt", "Decrypt", "GenerateDataKey"]

  constraints {
    encryption_context_equals = { Department = "Records" }
  }
}

resource "aws_kms_grant" "auditors" {
  for_each          = toset(["Decrypt", "DescribeKey"])
  name              = "storage-audit-${lower(each.key)}"
  key_id            = aws_kms_key.storage.arn
  grantee_principal = aws_iam_role.replication.arn
  operations        = [each.key]
}
