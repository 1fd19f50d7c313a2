# KMS: one customer-managed key with rotation and an explicit key policy, and its alias.

resource "aws_kms_key" "phi" {
  description             = "PHI encryption key"
  enable_key_rotation     = true
  deletion_window_in_days = 7
  policy = jsonencode({
    Version = "2012-10-17"
    Id      = "clinic-phi"
    Statement = [
      {
        Sid       = "RootAccess"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::123456789012:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
    ]
  })
  tags = { Name = "clinic-phi" }
}

resource "aws_kms_alias" "phi" {
  name          = "alias/clinic-phi"
  target_key_id = aws_kms_key.phi.key_id
}
