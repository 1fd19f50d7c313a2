output "account_id" {
  value = data.aws_caller_identity.current.account_id
}

output "kms_key_arn" {
  value = aws_kms_key.data.arn
}

output "topic_arn" {
  value = aws_sns_topic.events.arn
}

output "queue_urls" {
  value = { for k, q in aws_sqs_queue.this : k => q.id }
}
