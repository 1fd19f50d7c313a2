# The demo stack (`make demo`): a small clinic estate that applies in seconds on the emulator.
resource "aws_kms_key" "phi" {
  description         = "PHI data key"
  enable_key_rotation = true
  tags                = { Name = "demo-phi" }
}

resource "aws_kms_alias" "phi" {
  name          = "alias/demo-phi"
  target_key_id = aws_kms_key.phi.key_id
}

resource "aws_vpc" "main" {
  cidr_block = "10.42.0.0/16"
  tags       = { Name = "demo-vpc" }
}

resource "aws_security_group" "app" {
  name        = "demo-app"
  description = "App servers"
  vpc_id      = aws_vpc.main.id
  ingress {
    description = "HTTPS from the VPC"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.42.0.0/16"]
  }
  tags = { Name = "demo-app" }
}

resource "aws_s3_bucket" "records" {
  bucket = "demo-patient-records"
  tags   = { Name = "demo-patient-records", DataClass = "phi" }
}

resource "aws_s3_bucket_versioning" "records" {
  bucket = aws_s3_bucket.records.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "records" {
  bucket = aws_s3_bucket.records.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.phi.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_public_access_block" "records" {
  bucket                  = aws_s3_bucket.records.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# Only TLS requests: the records bucket refuses plain HTTP (HS-S3-006).
resource "aws_s3_bucket_policy" "records" {
  bucket = aws_s3_bucket.records.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.records.arn, "${aws_s3_bucket.records.arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
  depends_on = [aws_s3_bucket_public_access_block.records]
}
