# The smallest stack the harness smoke test applies: one VPC, one bucket (applies in seconds).
resource "aws_vpc" "smoke" {
  cidr_block = "10.99.0.0/16"
  tags       = { Name = "plumb-smoke" }
}

resource "aws_s3_bucket" "smoke" {
  bucket = "plumb-smoke-bucket"
  tags   = { Name = "plumb-smoke" }
}

output "vpc_id" {
  value = aws_vpc.smoke.id
}

output "bucket" {
  value = aws_s3_bucket.smoke.bucket
}
