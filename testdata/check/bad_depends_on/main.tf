resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
}

resource "aws_s3_bucket" "data" {
  bucket     = "acme-data"
  depends_on = [aws_s3_bucket.logs, aws_s3_bucket.log]
}
