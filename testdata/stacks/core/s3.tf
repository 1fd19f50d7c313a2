# S3: two PHI buckets through a local module with for_each (records gets access logging and a
# lifecycle configuration), and an access-log bucket made with count.

resource "aws_s3_bucket" "logs" {
  count  = 1
  bucket = "clinic-access-logs-${count.index}"
  tags   = { Name = "clinic-access-logs" }
}

# Lets the S3 logging service write access logs (real S3 and moto both check this).
resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "S3ServerAccessLogs"
        Effect    = "Allow"
        Principal = { Service = "logging.s3.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.logs[0].arn}/*"
      },
    ]
  })
}

module "phi_bucket" {
  source = "./modules/phi_bucket"
  for_each = {
    records = { log_bucket = aws_s3_bucket.logs[0].bucket, with_lifecycle = true }
    imaging = { log_bucket = null, with_lifecycle = false }
  }

  name           = "clinic-phi-${each.key}"
  kms_key_arn    = aws_kms_key.phi.arn
  log_bucket     = each.value.log_bucket
  with_lifecycle = each.value.with_lifecycle
  tags           = { DataClass = "phi", Dataset = each.key }

  depends_on = [aws_s3_bucket_policy.logs]
}
