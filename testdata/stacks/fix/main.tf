# The `plumb fix` stack (tests/fix_e2e.rs): values written as literals, through a variable
# and through a local, tags, a security group with inline rules and one whose rules are
# separate resources, a bucket with versioning, and a bucket nothing references. The test
# changes them out of band, adopts every change into a copy of this code, checks
# `terraform plan`, then reverts them with the commands `plumb fix` prints.

variable "dns_hostnames" {
  description = "DNS host names for instances in the VPC"
  type        = bool
  default     = true
}

locals {
  logs_key_description = "fix stack: log archive key"
  # Used twice: adopting a change of one use is reported, not patched.
  team = "platform"
}

resource "aws_vpc" "main" {
  cidr_block           = "10.42.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = var.dns_hostnames
  tags                 = { Name = "fix-vpc", Team = local.team }
}

resource "aws_subnet" "a" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = "10.42.1.0/24"
  availability_zone       = "${var.region}a"
  map_public_ip_on_launch = false
  tags                    = { Name = "fix-private-a", Team = local.team }
}

resource "aws_kms_key" "data" {
  description             = "fix stack: data key"
  deletion_window_in_days = 7
  enable_key_rotation     = true
}

resource "aws_kms_key" "logs" {
  description             = local.logs_key_description
  deletion_window_in_days = 7
  enable_key_rotation     = true
}

# Inline rules: Terraform owns every rule of the group.
resource "aws_security_group" "web" {
  name        = "fix-web"
  description = "Web tier"
  vpc_id      = aws_vpc.main.id

  ingress {
    description = "HTTPS from the VPC"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.42.0.0/16"]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = { Name = "fix-web" }
}

# Rules as separate resources: rules added by hand are not Terraform's.
resource "aws_security_group" "app" {
  name        = "fix-app"
  description = "App tier"
  vpc_id      = aws_vpc.main.id
  tags        = { Name = "fix-app" }
}

resource "aws_vpc_security_group_ingress_rule" "app_http" {
  security_group_id            = aws_security_group.app.id
  description                  = "HTTP from the web tier"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.web.id
}

resource "aws_s3_bucket" "data" {
  bucket = "fix-stack-data"
  tags = {
    Owner     = "platform"
    DataClass = "internal"
  }
}

resource "aws_s3_bucket_versioning" "data" {
  bucket = aws_s3_bucket.data.id
  versioning_configuration {
    status = "Enabled"
  }
}

# Nothing refers to it: the test deletes it out of band (missing).
resource "aws_s3_bucket" "scratch" {
  bucket = "fix-stack-scratch"
}
