# CloudTrail, CloudWatch Logs, GuardDuty.

resource "aws_cloudtrail" "good" {
  name                          = "corpus-good"
  s3_bucket_name                = "corpus-trail"
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_log_file_validation    = true
  kms_key_id                    = aws_kms_key.rotated.arn
  cloud_watch_logs_group_arn    = "arn:aws:logs:eu-west-1:111122223333:log-group:trail:*"
  cloud_watch_logs_role_arn     = "arn:aws:iam::111122223333:role/trail"
  sns_topic_name                = "trail"
  event_selector {
    read_write_type           = "All"
    include_management_events = true
    data_resource {
      type   = "AWS::S3::Object"
      values = ["arn:aws:s3:::corpus-good/"]
    }
  }
}

resource "aws_cloudtrail" "bad" {
  name           = "corpus-bad"
  s3_bucket_name = "corpus-trail"
}

resource "aws_cloudwatch_log_group" "good" {
  name              = "/corpus/good"
  retention_in_days = 2192
  kms_key_id        = aws_kms_key.rotated.arn
}

resource "aws_cloudwatch_log_group" "short" {
  name              = "/corpus/short"
  retention_in_days = 30
}

resource "aws_cloudwatch_log_group" "forever" {
  name       = "/corpus/forever"
  kms_key_id = aws_kms_key.rotated.arn
}

resource "aws_guardduty_detector" "on" {
  enable = true
}

resource "aws_guardduty_detector" "off" {
  enable = false
}
