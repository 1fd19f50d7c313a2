output "cluster_name" {
  value = aws_eks_cluster.main.name
}

output "subnet_ids" {
  value = aws_subnet.private[*].id
}
