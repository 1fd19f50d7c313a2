# Expressions real modules use, and inputs as Terraform reads them.

variable "data_class" {
  description = "From TF_VAR_data_class in the tests."
  type        = string
  default     = "internal"

  validation {
    condition     = contains(["public", "internal", "phi"], var.data_class)
    error_message = "data_class must be public, internal or phi."
  }
}

variable "retention_days" {
  type    = number
  default = 30

  validation {
    condition     = var.retention_days >= 7
    error_message = "Keep logs at least a week."
  }
}

variable "alias_names" {
  type    = set(string)
  default = ["reports", "exports"]
}

locals {
  # A for-expression over toset(): the keys are the elements.
  by_name = { for k, v in toset(["billing", "claims"]) : k => upper(v) }
  # Over a variable typed set(string): the same.
  aliases = { for k, v in var.alias_names : k => "alias/${v}" }
  # Over a list: the keys are indexes.
  indexed = { for i, v in ["a", "b"] : v => i }
}

resource "aws_kms_key" "by_name" {
  for_each            = local.by_name
  description         = "key for ${each.value}"
  enable_key_rotation = true
}

resource "aws_kms_alias" "this" {
  for_each      = local.aliases
  name          = each.value
  target_key_id = aws_kms_key.by_name["billing"].key_id
}

resource "aws_kms_key" "signing" {
  description = "SIGN_VERIFY without a key spec: rotation does not apply (no HS-KMS-001)."
  key_usage   = "SIGN_VERIFY"
}

resource "aws_cloudwatch_log_group" "app" {
  name              = "app"
  retention_in_days = var.retention_days
  tags              = { Owner = "app-team", Index = tostring(local.indexed["b"]) }
}

resource "aws_cloudwatch_log_group" "west" {
  provider          = aws.west
  name              = "west"
  retention_in_days = var.retention_days
  depends_on        = [aws_cloudwatch_log_group.app, aws_kms_key.signing]
}

data "aws_iam_policy_document" "deny_insecure" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = ["arn:aws:s3:::acme-reports", "arn:aws:s3:::acme-reports/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket" "reports" {
  bucket = "acme-reports"
}

resource "aws_s3_bucket_policy" "reports" {
  bucket = aws_s3_bucket.reports.id
  policy = data.aws_iam_policy_document.deny_insecure.json
}
