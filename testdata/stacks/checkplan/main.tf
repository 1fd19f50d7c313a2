# Plan parity: `plumb check DIR --state terraform.tfstate` must list exactly the changes
# `terraform plan -refresh=false` plans, on community-style code (tests/check.rs,
# plan_parity_with_terraform). Written for plumb's tests; constructs as community modules
# use them.

data "aws_availability_zones" "available" {
  state = "available"
}

locals {
  name = "checkplan"
  # A count plumb cannot know (a data source), Terraform can.
  az_count = length(data.aws_availability_zones.available.names) > 1 ? 2 : 1
}

resource "aws_vpc" "this" {
  cidr_block           = "10.42.0.0/16"
  enable_dns_hostnames = true
  tags                 = { Name = local.name }
}

resource "aws_subnet" "private" {
  count             = local.az_count
  vpc_id            = aws_vpc.this.id
  cidr_block        = cidrsubnet(aws_vpc.this.cidr_block, 8, count.index)
  availability_zone = data.aws_availability_zones.available.names[count.index]
  tags              = { Name = "${local.name}-private-${count.index}" }
}

resource "aws_security_group" "web" {
  name        = "${local.name}-web"
  description = null # the provider default, "Managed by Terraform"
  vpc_id      = aws_vpc.this.id

  ingress {
    description = "https"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }

  ingress {
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group_rule" "ssh" {
  type              = "ingress"
  security_group_id = aws_security_group.web.id
  protocol          = "6"
  from_port         = 22
  to_port           = 22
  cidr_blocks       = ["10.1.0.0/16"]
  ipv6_cidr_blocks  = []
}

module "bucket" {
  source   = "./modules/bucket"
  for_each = toset(["logs", "data"])

  name       = "${local.name}-${each.key}"
  versioning = each.key == "data"
}

resource "aws_kms_key" "data" {
  description             = "checkplan data"
  enable_key_rotation     = true
  deletion_window_in_days = 7
}
