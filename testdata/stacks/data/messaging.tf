# Queues with for_each (each with its dead-letter queue and a policy letting the topic send),
# and an encrypted SNS topic fanning out to them.
locals {
  queues = {
    orders = { visibility_timeout = 60, max_receive = 5 }
    audit  = { visibility_timeout = 30, max_receive = 3 }
  }
}

resource "aws_sqs_queue" "dlq" {
  for_each                  = local.queues
  name                      = "data-${each.key}-dlq"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
  tags                      = { Queue = each.key }
}

resource "aws_sqs_queue" "this" {
  for_each                          = local.queues
  name                              = "data-${each.key}"
  visibility_timeout_seconds        = each.value.visibility_timeout
  message_retention_seconds         = 345600
  receive_wait_time_seconds         = 10
  kms_master_key_id                 = aws_kms_key.data.arn
  kms_data_key_reuse_period_seconds = 300
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq[each.key].arn
    maxReceiveCount     = each.value.max_receive
  })
  tags = { Queue = each.key }
}

data "aws_iam_policy_document" "queue" {
  for_each = local.queues
  statement {
    sid       = "TopicSends"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.this[each.key].arn]
    principals {
      type        = "Service"
      identifiers = ["sns.amazonaws.com"]
    }
    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_sns_topic.events.arn]
    }
  }
}

resource "aws_sqs_queue_policy" "this" {
  for_each  = local.queues
  queue_url = aws_sqs_queue.this[each.key].id
  policy    = data.aws_iam_policy_document.queue[each.key].json
}

resource "aws_sns_topic" "events" {
  name              = "data-events"
  display_name      = "Clinic events"
  kms_master_key_id = aws_kms_key.data.arn
  tags              = { Name = "data-events" }
}

data "aws_iam_policy_document" "topic" {
  statement {
    sid       = "AccountPublishes"
    actions   = ["SNS:Publish", "SNS:Subscribe"]
    resources = [aws_sns_topic.events.arn]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }
}

resource "aws_sns_topic_policy" "events" {
  arn    = aws_sns_topic.events.arn
  policy = data.aws_iam_policy_document.topic.json
}

resource "aws_sns_topic_subscription" "queues" {
  for_each             = local.queues
  topic_arn            = aws_sns_topic.events.arn
  protocol             = "sqs"
  endpoint             = aws_sqs_queue.this[each.key].arn
  raw_message_delivery = true
  filter_policy        = jsonencode({ kind = [each.key] })
}
