# Settings a pull request adds to resources this code does not declare: each is judged on
# its own, in a view whose owner is outside the code (its other settings unknown).

variable "shared_sg_id" {
  description = "The platform team's group (no value here: unknown before apply)."
  type        = string
}

data "aws_security_group" "bastion" {
  name = "bastion"
}

# Violation (HS-NET-002): SSH from anywhere on a group given by literal id.
resource "aws_security_group_rule" "ssh" {
  type              = "ingress"
  security_group_id = "sg-0a1b2c3d4e5f60718"
  protocol          = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_blocks       = ["0.0.0.0/0"]
}

# Compliant, on the same group: HTTPS from the VPC only.
resource "aws_security_group_rule" "https" {
  type              = "ingress"
  security_group_id = "sg-0a1b2c3d4e5f60718"
  protocol          = "6"
  from_port         = 443
  to_port           = 443
  cidr_blocks       = ["10.0.0.0/16"]
}

# Violation (HS-NET-001): PostgreSQL from anywhere on a group given by a variable.
resource "aws_vpc_security_group_ingress_rule" "postgres" {
  security_group_id = var.shared_sg_id
  ip_protocol       = "tcp"
  from_port         = 5432
  to_port           = 5432
  cidr_ipv4         = "0.0.0.0/0"
}

# Violation (HS-NET-002): RDP from anywhere on a group found by a data source.
resource "aws_security_group_rule" "rdp" {
  type              = "ingress"
  security_group_id = data.aws_security_group.bastion.id
  protocol          = "tcp"
  from_port         = 3389
  to_port           = 3389
  cidr_blocks       = ["0.0.0.0/0"]
}

# An existing bucket, by name. Violations: versioning suspended (HS-S3-003), SSE-S3
# (HS-S3-001), a public access block that leaves policies open (HS-S3-004). Nothing else
# about the bucket is known, so nothing else is judged.
resource "aws_s3_bucket_versioning" "archive" {
  bucket = "acme-archive"
  versioning_configuration {
    status = "Suspended"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "archive" {
  bucket = "acme-archive"
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_public_access_block" "archive" {
  bucket                  = "acme-archive"
  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = false
  restrict_public_buckets = false
}

# Violation (HS-KMS-004): a key policy open to every principal, on an existing key.
resource "aws_kms_key_policy" "shared" {
  key_id = "arn:aws:kms:us-east-1:111122223333:key/8f1c2a4e-0b5d-4c3e-9a7f-2d6e1b0c9a88"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "Everyone"
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action    = "kms:Decrypt"
      Resource  = "*"
    }]
  })
}
