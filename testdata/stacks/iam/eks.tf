# IAM for an EKS cluster, written the way community EKS modules write it: a role per
# cluster and node group, AWS-managed policies attached with for_each over a set of ARNs,
# an inline policy built from aws_iam_policy_document, an instance profile, and IRSA (an
# OIDC provider and a role assumable by one service account) with a customer-managed policy.

data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}

locals {
  cluster_name = "clinic"
  partition    = data.aws_partition.current.partition
  oidc_issuer  = "oidc.eks.${var.region}.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
}

data "aws_iam_policy_document" "cluster_assume" {
  statement {
    sid     = "EKSClusterAssumeRole"
    actions = ["sts:AssumeRole", "sts:TagSession"]
    principals {
      type        = "Service"
      identifiers = ["eks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "cluster" {
  name                  = "${local.cluster_name}-cluster"
  description           = "EKS control plane"
  assume_role_policy    = data.aws_iam_policy_document.cluster_assume.json
  force_detach_policies = true
  tags                  = { Team = "platform" }
}

resource "aws_iam_role_policy_attachment" "cluster" {
  for_each = toset([
    "arn:${local.partition}:iam::aws:policy/AmazonEKSClusterPolicy",
    "arn:${local.partition}:iam::aws:policy/AmazonEKSVPCResourceController",
  ])
  policy_arn = each.value
  role       = aws_iam_role.cluster.name
}

data "aws_iam_policy_document" "node_assume" {
  statement {
    sid     = "EKSNodeAssumeRole"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "node" {
  name                 = "${local.cluster_name}-node"
  path                 = "/"
  description          = "EKS managed node group"
  max_session_duration = 3600
  assume_role_policy   = data.aws_iam_policy_document.node_assume.json
  tags                 = { Team = "platform" }
}

resource "aws_iam_role_policy_attachment" "node" {
  for_each = toset([
    "arn:${local.partition}:iam::aws:policy/AmazonEKSWorkerNodePolicy",
    "arn:${local.partition}:iam::aws:policy/AmazonEKS_CNI_Policy",
    "arn:${local.partition}:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
  ])
  policy_arn = each.value
  role       = aws_iam_role.node.name
}

data "aws_iam_policy_document" "node_logs" {
  statement {
    sid       = "WriteNodeLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
    resources = ["arn:${local.partition}:logs:${var.region}:${data.aws_caller_identity.current.account_id}:log-group:/clinic/nodes:*"]
  }
}

resource "aws_iam_role_policy" "node_logs" {
  name   = "${local.cluster_name}-node-logs"
  role   = aws_iam_role.node.id
  policy = data.aws_iam_policy_document.node_logs.json
}

resource "aws_iam_instance_profile" "node" {
  name = "${local.cluster_name}-node"
  role = aws_iam_role.node.name
  tags = { Team = "platform" }
}

resource "aws_iam_openid_connect_provider" "eks" {
  url             = "https://${local.oidc_issuer}"
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]
}

data "aws_iam_policy_document" "reports_assume" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.eks.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.oidc_issuer}:sub"
      values   = ["system:serviceaccount:reports:reports-reader"]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.oidc_issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "reports_reader" {
  name               = "${local.cluster_name}-reports-reader"
  assume_role_policy = data.aws_iam_policy_document.reports_assume.json
}

resource "aws_iam_policy" "reports_read" {
  name        = "clinic-reports-read"
  path        = "/clinic/"
  description = "Read the monthly reports"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ListReports"
        Effect   = "Allow"
        Action   = "s3:ListBucket"
        Resource = "arn:${local.partition}:s3:::clinic-reports"
      },
      {
        Sid      = "ReadReports"
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = ["arn:${local.partition}:s3:::clinic-reports/*"]
      },
    ]
  })
  tags = { Team = "reporting" }
}

resource "aws_iam_role_policy_attachment" "reports_reader" {
  role       = aws_iam_role.reports_reader.name
  policy_arn = aws_iam_policy.reports_read.arn
}
