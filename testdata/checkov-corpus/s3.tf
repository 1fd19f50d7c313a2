# S3: one hardened bucket, one with every gap, one on DSSE-KMS (a deliberate difference).

resource "aws_kms_key" "s3" {
  description             = "S3 ePHI"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

resource "aws_s3_bucket" "good" {
  bucket = "corpus-good"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "good" {
  bucket = aws_s3_bucket.good.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.s3.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_versioning" "good" {
  bucket = aws_s3_bucket.good.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_public_access_block" "good" {
  bucket                  = aws_s3_bucket.good.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_logging" "good" {
  bucket        = aws_s3_bucket.good.id
  target_bucket = "corpus-logs"
  target_prefix = "good/"
}

resource "aws_s3_bucket_ownership_controls" "good" {
  bucket = aws_s3_bucket.good.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket" "bad" {
  bucket = "corpus-bad"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "bad" {
  bucket = aws_s3_bucket.bad.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_versioning" "bad" {
  bucket = aws_s3_bucket.bad.id
  versioning_configuration {
    status = "Suspended"
  }
}

resource "aws_s3_bucket_public_access_block" "bad" {
  bucket              = aws_s3_bucket.bad.id
  block_public_acls   = true
  block_public_policy = false
}

resource "aws_s3_bucket_ownership_controls" "bad" {
  bucket = aws_s3_bucket.bad.id
  rule {
    object_ownership = "ObjectWriter"
  }
}

resource "aws_s3_bucket" "dsse" {
  bucket = "corpus-dsse"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "dsse" {
  bucket = aws_s3_bucket.dsse.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms:dsse"
      kms_master_key_id = aws_kms_key.s3.arn
    }
  }
}

resource "aws_s3_bucket_versioning" "dsse" {
  bucket = aws_s3_bucket.dsse.id
  versioning_configuration {
    status = "Enabled"
  }
}
