# EKS.

resource "aws_eks_cluster" "good" {
  name                      = "corpus-good"
  role_arn                  = "arn:aws:iam::111122223333:role/eks"
  enabled_cluster_log_types = ["api", "audit", "authenticator", "controllerManager", "scheduler"]
  vpc_config {
    subnet_ids              = [aws_subnet.private.id]
    endpoint_public_access  = false
    endpoint_private_access = true
  }
  encryption_config {
    resources = ["secrets"]
    provider {
      key_arn = aws_kms_key.rotated.arn
    }
  }
}

resource "aws_eks_cluster" "audit_only" {
  name                      = "corpus-audit-only"
  role_arn                  = "arn:aws:iam::111122223333:role/eks"
  enabled_cluster_log_types = ["audit"]
  vpc_config {
    subnet_ids = [aws_subnet.private.id]
  }
}

resource "aws_eks_node_group" "open_ssh" {
  cluster_name    = aws_eks_cluster.good.name
  node_group_name = "open-ssh"
  node_role_arn   = "arn:aws:iam::111122223333:role/nodes"
  subnet_ids      = [aws_subnet.private.id]
  scaling_config {
    desired_size = 1
    max_size     = 1
    min_size     = 1
  }
  remote_access {
    ec2_ssh_key = "ops"
  }
}

resource "aws_eks_node_group" "bastion_ssh" {
  cluster_name    = aws_eks_cluster.good.name
  node_group_name = "bastion-ssh"
  node_role_arn   = "arn:aws:iam::111122223333:role/nodes"
  subnet_ids      = [aws_subnet.private.id]
  scaling_config {
    desired_size = 1
    max_size     = 1
    min_size     = 1
  }
  remote_access {
    ec2_ssh_key               = "ops"
    source_security_group_ids = [aws_security_group.web.id]
  }
}
