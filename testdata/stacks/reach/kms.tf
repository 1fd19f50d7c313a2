# Keys as the community KMS module's complete example makes them: an external key with
# imported key material, a Multi-Region primary with a replica (its own alias and grant) in
# the replica region, and an external Multi-Region primary with an external replica.

locals {
  # 256 bits of key material, base64 (a fixture value: never protects anything).
  key_material = "Wblj06fduthWggmsT0cLVoIMOkeLbc2kVfMud77i/JY="
  valid_to     = "2030-11-21T23:20:50Z"
}

resource "aws_kms_external_key" "this" {
  count = 1

  description             = "reach: external key"
  deletion_window_in_days = 7
  enabled                 = true
  key_material_base64     = local.key_material
  multi_region            = false
  valid_to                = local.valid_to
  tags                    = { Name = "reach-external" }
}

resource "aws_kms_key" "primary" {
  description             = "reach: primary of a replica key"
  deletion_window_in_days = 7
  multi_region            = true
  tags                    = { Name = "reach-primary" }
}

resource "aws_kms_replica_key" "this" {
  count    = 1
  provider = aws.replica

  description             = "reach: replica key"
  deletion_window_in_days = 7
  primary_key_arn         = aws_kms_key.primary.arn
  enabled                 = true
  tags                    = { Name = "reach-replica" }
}

resource "aws_kms_alias" "replica" {
  provider = aws.replica

  name          = "alias/reach-replica-standard"
  target_key_id = aws_kms_replica_key.this[0].key_id
}

resource "aws_kms_external_key" "primary" {
  description             = "reach: primary external key"
  deletion_window_in_days = 7
  enabled                 = true
  key_material_base64     = local.key_material
  multi_region            = true
  valid_to                = local.valid_to
}

resource "aws_kms_replica_external_key" "this" {
  count    = 1
  provider = aws.replica

  description             = "reach: replica external key"
  deletion_window_in_days = 7
  enabled                 = true
  key_material_base64     = local.key_material
  primary_key_arn         = aws_kms_external_key.primary.arn
  valid_to                = local.valid_to
  tags                    = { Name = "reach-replica-external" }
}

# A key whose policy is a resource of its own, named by the key's ARN (as modules write
# `key_id = aws_kms_key.this.arn`): the provider keeps that ARN as the policy's id and refreshes
# `key_id` to the bare id; the key's own `policy` is a stale copy of it.
resource "aws_kms_key" "with_policy" {
  description             = "reach: key with a key policy resource"
  deletion_window_in_days = 7
}

resource "aws_kms_key_policy" "this" {
  key_id = aws_kms_key.with_policy.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AccountAdmin"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}
