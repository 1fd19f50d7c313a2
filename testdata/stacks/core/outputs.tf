output "vpc_id" {
  value = aws_vpc.main.id
}

output "subnet_ids" {
  value = [aws_subnet.a.id, aws_subnet.b.id]
}

output "security_group_ids" {
  value = {
    web    = aws_security_group.web.id
    db     = aws_security_group.db.id
    legacy = aws_security_group.legacy.id
  }
}

output "instance_id" {
  value = aws_instance.app.id
}

output "volume_id" {
  value = aws_ebs_volume.data.id
}

output "kms_key_id" {
  value = aws_kms_key.phi.key_id
}

output "db_instance_identifier" {
  value = aws_db_instance.records.identifier
}

output "rds_cluster_identifier" {
  value = aws_rds_cluster.analytics.cluster_identifier
}

output "buckets" {
  value = merge({ for k, m in module.phi_bucket : k => m.bucket }, { logs = aws_s3_bucket.logs[0].id })
}
