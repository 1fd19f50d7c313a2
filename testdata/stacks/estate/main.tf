# One account of a multi-account estate, in two regions: a VPC and a security group in each,
# a bucket in us-east-1, and the read-only role Plumb assumes from the management account
# (`scanner_account`), with an external id when one is given. In a member account the role
# AWS Organizations created (`OrganizationAccountAccessRole`) is adopted with an import block,
# as teams do, so that nothing in the account is unmanaged.

variable "environment" {
  type = string
}

variable "scanner_account" {
  description = "The account Plumb scans from (the management account)"
  type        = string
}

variable "external_id" {
  description = "ExternalId the read-only role requires; empty for none"
  type        = string
  default     = ""
}

variable "org_member" {
  description = "A member account made by AWS Organizations (it has OrganizationAccountAccessRole)"
  type        = bool
  default     = true
}

data "aws_caller_identity" "this" {}

locals {
  account = data.aws_caller_identity.this.account_id
}

resource "aws_vpc" "main" {
  cidr_block           = "10.10.0.0/16"
  enable_dns_hostnames = true
  tags                 = { Name = "${var.environment}-main" }
}

resource "aws_security_group" "web" {
  name        = "${var.environment}-web"
  description = "HTTPS from the corporate range"
  vpc_id      = aws_vpc.main.id

  ingress {
    description = "HTTPS"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = { Name = "${var.environment}-web" }
}

resource "aws_s3_bucket" "logs" {
  bucket = "plumb-estate-${local.account}-logs"
  tags   = { Name = "${var.environment}-logs" }
}

resource "aws_vpc" "west" {
  provider   = aws.west
  cidr_block = "10.20.0.0/16"
  tags       = { Name = "${var.environment}-west" }
}

resource "aws_security_group" "west" {
  provider    = aws.west
  name        = "${var.environment}-west"
  description = "Nothing in, everything out"
  vpc_id      = aws_vpc.west.id

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = { Name = "${var.environment}-west" }
}

# The role Plumb assumes: trusts the scanning account, optionally only with an external id.
resource "aws_iam_role" "plumb" {
  name = "PlumbReadOnly"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [merge(
      {
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${var.scanner_account}:root" }
        Action    = "sts:AssumeRole"
      },
      var.external_id == "" ? {} : { Condition = { StringEquals = { "sts:ExternalId" = var.external_id } } }
    )]
  })
}

resource "aws_iam_role_policy" "plumb_read" {
  name = "plumb-read"
  role = aws_iam_role.plumb.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["ec2:Describe*", "s3:Get*", "s3:List*", "iam:Get*", "iam:List*"]
      Resource = "*"
    }]
  })
}

# AWS Organizations made this role when it created the account: adopted, not recreated.
import {
  for_each = var.org_member ? toset(["OrganizationAccountAccessRole"]) : toset([])
  to       = aws_iam_role.org_access[each.key]
  id       = each.key
}

resource "aws_iam_role" "org_access" {
  for_each = var.org_member ? toset(["OrganizationAccountAccessRole"]) : toset([])
  name     = each.key
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${var.scanner_account}:root" }
      Action    = "sts:AssumeRole"
    }]
  })
}

output "account" {
  value = local.account
}

output "vpc_id" {
  value = aws_vpc.main.id
}

output "west_vpc_id" {
  value = aws_vpc.west.id
}

output "bucket" {
  value = aws_s3_bucket.logs.bucket
}
