# KMS: rotation on and off, a public key policy, and an HMAC key (rotation not applicable).

resource "aws_kms_key" "rotated" {
  description         = "rotated"
  enable_key_rotation = true
}

resource "aws_kms_key" "unrotated" {
  description = "unrotated"
}

resource "aws_kms_key" "hmac" {
  description              = "HMAC signing"
  key_usage                = "GENERATE_VERIFY_MAC"
  customer_master_key_spec = "HMAC_256"
}

resource "aws_kms_key" "public" {
  description         = "public policy"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "Everyone"
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}
