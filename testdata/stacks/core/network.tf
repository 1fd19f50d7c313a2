# Network: one VPC, two subnets, and three security groups that express rules in each of the
# three ways the provider allows (inline blocks, per-rule resources, legacy aws_security_group_rule).

resource "aws_vpc" "main" {
  cidr_block           = "10.20.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = { Name = "clinic-vpc" }
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.20.1.0/24"
  availability_zone = "${var.region}a"
  tags              = { Name = "clinic-private-a", Tier = "private" }
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.20.2.0/24"
  availability_zone = "${var.region}b"
  tags              = { Name = "clinic-private-b", Tier = "private" }
}

# Inline ingress/egress blocks.
resource "aws_security_group" "web" {
  name        = "clinic-web"
  description = "Web tier"
  vpc_id      = aws_vpc.main.id

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
    cidr_blocks = [aws_vpc.main.cidr_block]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = { Name = "clinic-web" }
}

# Rules as separate aws_vpc_security_group_*_rule resources.
resource "aws_security_group" "db" {
  name        = "clinic-db"
  description = "Database tier"
  vpc_id      = aws_vpc.main.id
  tags        = { Name = "clinic-db" }
}

resource "aws_vpc_security_group_ingress_rule" "db_postgres" {
  security_group_id            = aws_security_group.db.id
  description                  = "Postgres from the web tier"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.web.id
  tags                         = { Name = "db-postgres" }
}

resource "aws_vpc_security_group_egress_rule" "db_all" {
  security_group_id = aws_security_group.db.id
  description       = "All outbound inside the VPC"
  ip_protocol       = "-1"
  cidr_ipv4         = aws_vpc.main.cidr_block
}

# Legacy aws_security_group_rule.
resource "aws_security_group" "legacy" {
  name        = "clinic-legacy"
  description = "Legacy admin access"
  vpc_id      = aws_vpc.main.id
  tags        = { Name = "clinic-legacy" }
}

resource "aws_security_group_rule" "legacy_admin" {
  type              = "ingress"
  security_group_id = aws_security_group.legacy.id
  description       = "Admin console from the VPC"
  from_port         = 8443
  to_port           = 8443
  protocol          = "tcp"
  cidr_blocks       = [aws_vpc.main.cidr_block]
}
