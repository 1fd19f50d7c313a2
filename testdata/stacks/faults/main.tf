# The robustness tests' stack (tests/faults.rs): one resource or two per wire protocol the
# fault proxy answers for (EC2 query, S3 REST-XML, KMS JSON, IAM query), so that a fault on any
# of them shows whether Plumb reports the type incomplete or, wrongly, missing.

resource "aws_vpc" "faults" {
  cidr_block = "10.98.0.0/16"
  tags       = { Name = "plumb-faults" }
}

resource "aws_subnet" "faults" {
  for_each          = { a = "10.98.1.0/24", b = "10.98.2.0/24" }
  vpc_id            = aws_vpc.faults.id
  cidr_block        = each.value
  availability_zone = "us-east-1${each.key}"
  tags              = { Name = "plumb-faults-${each.key}" }
}

resource "aws_security_group" "faults" {
  name        = "plumb-faults"
  description = "fault tests"
  vpc_id      = aws_vpc.faults.id

  ingress {
    description = "HTTPS from the VPC"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.faults.cidr_block]
  }
}

resource "aws_s3_bucket" "faults" {
  bucket = "plumb-faults-bucket"
  tags   = { Name = "plumb-faults" }
}

resource "aws_s3_bucket_versioning" "faults" {
  bucket = aws_s3_bucket.faults.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_kms_key" "faults" {
  description             = "fault tests"
  enable_key_rotation     = true
  deletion_window_in_days = 7
  tags                    = { Name = "plumb-faults" }
}

resource "aws_iam_role" "faults" {
  name = "plumb-faults"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
  tags = { Name = "plumb-faults" }
}

output "vpc_id" {
  value = aws_vpc.faults.id
}

output "bucket" {
  value = aws_s3_bucket.faults.bucket
}
