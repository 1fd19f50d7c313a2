# The private subnets the cache lives in.
resource "aws_vpc" "data" {
  cidr_block           = "10.40.0.0/16"
  enable_dns_hostnames = true
  tags                 = { Name = "data" }
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.data.id
  cidr_block        = cidrsubnet(aws_vpc.data.cidr_block, 8, count.index)
  availability_zone = ["us-east-1a", "us-east-1b"][count.index]
  tags              = { Name = "data-private-${count.index}" }
}

resource "aws_security_group" "cache" {
  name        = "data-cache"
  description = "Redis from the VPC"
  vpc_id      = aws_vpc.data.id

  ingress {
    description = "Redis"
    from_port   = 6379
    to_port     = 6379
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.data.cidr_block]
  }
}
