# Security groups the way community security-group modules write them: named rules as
# `aws_security_group_rule` resources with `for_each`, the all-traffic rule as protocol "-1"
# with ports -1, and a group with inline rules.

resource "aws_security_group" "app" {
  name        = "net-app"
  description = "Application tier"
  vpc_id      = aws_vpc.this.id
  tags        = { Name = "net-app" }
}

locals {
  app_rules = {
    https-from-offices = { type = "ingress", protocol = "tcp", from = 443, to = 443, cidrs = ["198.51.100.0/24", "203.0.113.0/24"], description = "HTTPS from the offices" }
    ssh-from-vpc       = { type = "ingress", protocol = "tcp", from = 22, to = 22, cidrs = ["10.30.0.0/16"], description = "SSH from the VPC" }
    all-all            = { type = "egress", protocol = "-1", from = -1, to = -1, cidrs = ["0.0.0.0/0"], description = "All protocols" }
  }
}

resource "aws_security_group_rule" "app" {
  for_each          = local.app_rules
  security_group_id = aws_security_group.app.id
  type              = each.value.type
  protocol          = each.value.protocol
  from_port         = each.value.from
  to_port           = each.value.to
  cidr_blocks       = each.value.cidrs
  description       = each.value.description
}

resource "aws_security_group_rule" "app_self" {
  security_group_id = aws_security_group.app.id
  type              = "ingress"
  protocol          = "-1"
  from_port         = -1
  to_port           = -1
  self              = true
  description       = "Within the tier"
}

resource "aws_security_group" "bastion" {
  name        = "net-bastion"
  description = "Bastion"
  vpc_id      = aws_vpc.this.id

  ingress {
    description     = "SSH from the offices"
    protocol        = "tcp"
    from_port       = 22
    to_port         = 22
    prefix_list_ids = [aws_ec2_managed_prefix_list.office.id]
  }

  egress {
    description = "All"
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = { Name = "net-bastion" }
}
