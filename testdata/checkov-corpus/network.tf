# Network: VPCs with and without flow logs, subnets, security groups in all three styles.

resource "aws_vpc" "logged" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_flow_log" "logged" {
  vpc_id          = aws_vpc.logged.id
  traffic_type    = "ALL"
  log_destination = "arn:aws:logs:eu-west-1:111122223333:log-group:flow"
  iam_role_arn    = "arn:aws:iam::111122223333:role/flow"
}

resource "aws_vpc" "unlogged" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_default_security_group" "logged" {
  vpc_id = aws_vpc.logged.id
}

resource "aws_default_security_group" "unlogged" {
  vpc_id = aws_vpc.unlogged.id
  ingress {
    protocol  = "-1"
    from_port = 0
    to_port   = 0
    self      = true
  }
}

resource "aws_subnet" "private" {
  vpc_id     = aws_vpc.logged.id
  cidr_block = "10.0.1.0/24"
}

resource "aws_subnet" "public" {
  vpc_id                  = aws_vpc.logged.id
  cidr_block              = "10.0.2.0/24"
  map_public_ip_on_launch = true
}

resource "aws_security_group" "web" {
  name        = "web"
  description = "HTTPS from the VPC"
  vpc_id      = aws_vpc.logged.id
  ingress {
    description = "HTTPS"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["10.0.0.0/16"]
  }
}

resource "aws_security_group" "ssh_open" {
  name        = "ssh-open"
  description = "SSH from anywhere"
  vpc_id      = aws_vpc.logged.id
  ingress {
    description = "SSH"
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "split" {
  name        = "split"
  description = "rules as separate resources"
  vpc_id      = aws_vpc.logged.id
}

resource "aws_security_group_rule" "split_rdp" {
  type              = "ingress"
  description       = "RDP"
  security_group_id = aws_security_group.split.id
  protocol          = "tcp"
  from_port         = 3389
  to_port           = 3389
  cidr_blocks       = ["0.0.0.0/0"]
}

resource "aws_security_group" "all_open" {
  name        = "all-open"
  description = "everything from anywhere"
  vpc_id      = aws_vpc.logged.id
}

resource "aws_vpc_security_group_ingress_rule" "all_open" {
  security_group_id = aws_security_group.all_open.id
  description       = "all traffic"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}
