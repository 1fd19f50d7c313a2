# Network for the node layer: one VPC, two private subnets made with `count` (referenced with
# splats, as the community VPC module does), and security groups for the cluster and nodes.

locals {
  cluster_name = "clinic"
  azs          = ["${var.region}a", "${var.region}b"]
}

resource "aws_vpc" "eks" {
  cidr_block           = "10.30.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = { Name = "clinic-eks" }
}

resource "aws_subnet" "private" {
  count             = length(local.azs)
  vpc_id            = aws_vpc.eks.id
  cidr_block        = cidrsubnet(aws_vpc.eks.cidr_block, 8, count.index + 1)
  availability_zone = local.azs[count.index]
  tags = {
    Name                                          = "clinic-eks-private-${count.index}"
    "kubernetes.io/role/internal-elb"             = "1"
    "kubernetes.io/cluster/${local.cluster_name}" = "shared"
  }
}

resource "aws_security_group" "cluster" {
  name        = "clinic-eks-cluster"
  description = "EKS control plane"
  vpc_id      = aws_vpc.eks.id

  ingress {
    description = "API from the VPC"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.eks.cidr_block]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = { Name = "clinic-eks-cluster" }
}

resource "aws_security_group" "nodes" {
  name        = "clinic-eks-nodes"
  description = "Worker nodes"
  vpc_id      = aws_vpc.eks.id

  ingress {
    description = "Node to node"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    self        = true
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = { Name = "clinic-eks-nodes" }
}
