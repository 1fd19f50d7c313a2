# The benchmark stack (scripts/bench.sh): `units` copies of a 15-resource unit, plus
# `extra_volumes` EBS volumes so that the total is exactly N = 15 * units + extra_volumes.
#
# One unit: a VPC with two subnets; a security group with inline rules and one whose rules are
# separate resources (an ingress rule referencing the first group, a CIDR egress rule); an
# instance; an encrypted EBS volume; a KMS key with an alias; an S3 bucket with its versioning,
# default encryption and public access block. No RDS: moto allows one DB instance per server.

variable "units" {
  type = number
  validation {
    condition     = var.units >= 1 && var.units <= 256
    error_message = "units must be between 1 and 256 (one /16 of 10.0.0.0/8 per VPC)."
  }
}

variable "extra_volumes" {
  type    = number
  default = 0
}

locals {
  n = var.units
}

# --- Network -------------------------------------------------------------------------------

resource "aws_vpc" "bench" {
  count                = local.n
  cidr_block           = cidrsubnet("10.0.0.0/8", 8, count.index)
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = { Name = "bench-${count.index}" }
}

resource "aws_subnet" "bench" {
  count             = 2 * local.n
  vpc_id            = aws_vpc.bench[floor(count.index / 2)].id
  cidr_block        = cidrsubnet(aws_vpc.bench[floor(count.index / 2)].cidr_block, 8, count.index % 2)
  availability_zone = "${var.region}${count.index % 2 == 0 ? "a" : "b"}"
  tags              = { Name = "bench-${floor(count.index / 2)}-${count.index % 2 == 0 ? "a" : "b"}" }
}

# Inline ingress/egress blocks.
resource "aws_security_group" "web" {
  count       = local.n
  name        = "bench-web-${count.index}"
  description = "Web tier"
  vpc_id      = aws_vpc.bench[count.index].id

  ingress {
    description = "HTTPS from anywhere"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    description = "SSH from the VPC"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.bench[count.index].cidr_block]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = { Name = "bench-web-${count.index}" }
}

# Rules as separate resources.
resource "aws_security_group" "db" {
  count       = local.n
  name        = "bench-db-${count.index}"
  description = "Database tier"
  vpc_id      = aws_vpc.bench[count.index].id
  tags        = { Name = "bench-db-${count.index}" }
}

resource "aws_vpc_security_group_ingress_rule" "db" {
  count                        = local.n
  security_group_id            = aws_security_group.db[count.index].id
  description                  = "Postgres from the web tier"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.web[count.index].id
}

resource "aws_vpc_security_group_egress_rule" "db" {
  count             = local.n
  security_group_id = aws_security_group.db[count.index].id
  description       = "All outbound inside the VPC"
  ip_protocol       = "-1"
  cidr_ipv4         = aws_vpc.bench[count.index].cidr_block
}

# --- Compute -------------------------------------------------------------------------------

resource "aws_instance" "app" {
  count                  = local.n
  ami                    = "ami-1e749f67" # an AMI moto knows (Ubuntu)
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.bench[2 * count.index].id
  vpc_security_group_ids = [aws_security_group.web[count.index].id]

  root_block_device {
    encrypted   = true
    volume_size = 8
    volume_type = "gp3"
  }

  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "required"
  }

  tags = { Name = "bench-app-${count.index}" }
}

# Even volumes use the unit's customer key, odd ones the AWS managed key (alias/aws/ebs).
resource "aws_ebs_volume" "data" {
  count             = local.n + var.extra_volumes
  availability_zone = "${var.region}a"
  size              = 10
  type              = "gp3"
  encrypted         = true
  kms_key_id        = count.index % 2 == 0 ? aws_kms_key.bench[count.index % local.n].arn : null
  tags              = { Name = "bench-data-${count.index}" }
}

# --- KMS -----------------------------------------------------------------------------------

resource "aws_kms_key" "bench" {
  count                   = local.n
  description             = "plumb bench key ${count.index}"
  enable_key_rotation     = true
  deletion_window_in_days = 7
  tags                    = { Name = "bench-${count.index}" }
}

resource "aws_kms_alias" "bench" {
  count         = local.n
  name          = "alias/bench-${count.index}"
  target_key_id = aws_kms_key.bench[count.index].key_id
}

# --- S3 ------------------------------------------------------------------------------------

resource "aws_s3_bucket" "bench" {
  count  = local.n
  bucket = "plumb-bench-${count.index}"
  tags   = { Name = "plumb-bench-${count.index}" }
}

resource "aws_s3_bucket_versioning" "bench" {
  count  = local.n
  bucket = aws_s3_bucket.bench[count.index].id
  versioning_configuration {
    status = "Enabled"
  }
}

# Even buckets: SSE-KMS with the unit's key; odd buckets: SSE-S3.
resource "aws_s3_bucket_server_side_encryption_configuration" "bench" {
  count  = local.n
  bucket = aws_s3_bucket.bench[count.index].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = count.index % 2 == 0 ? "aws:kms" : "AES256"
      kms_master_key_id = count.index % 2 == 0 ? aws_kms_key.bench[count.index].arn : null
    }
    bucket_key_enabled = count.index % 2 == 0
  }
}

resource "aws_s3_bucket_public_access_block" "bench" {
  count                   = local.n
  bucket                  = aws_s3_bucket.bench[count.index].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
