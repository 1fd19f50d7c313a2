resource "aws_kms_key" "phi" {
  description = "PHI at rest"
}

resource "aws_s3_bucket" "logs" {
  bucket = "clinic-logs"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.phi.arn
    }
  }
}

resource "aws_db_instance" "records" {
  identifier              = "clinic-records"
  engine                  = "postgres"
  instance_class          = "db.t3.micro"
  allocated_storage       = 20
  storage_encrypted       = true
  backup_retention_period = 35
  deletion_protection     = true
  password                = "not-a-real-secret"
}
