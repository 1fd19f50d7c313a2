output "account_id" {
  value = local.account_id
}

output "kms_key_id" {
  value = aws_kms_key.storage.key_id
}

output "replication_grant_id" {
  value = aws_kms_grant.replication.grant_id
}
