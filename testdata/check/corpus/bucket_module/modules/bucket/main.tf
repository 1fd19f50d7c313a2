data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  create = var.create_bucket

  placeholders = {
    "_BUCKET_ARN_" = try(aws_s3_bucket.this[0].arn, null)
    "_ACCOUNT_"    = try(data.aws_caller_identity.current.account_id, null)
  }

  attach_policy = var.attach_deny_insecure_transport_policy || var.policy != null

  policy = local.create && local.attach_policy ? replace(
    replace(data.aws_iam_policy_document.combined[0].json, "_BUCKET_ARN_", local.placeholders["_BUCKET_ARN_"]),
    "_ACCOUNT_", local.placeholders["_ACCOUNT_"]
  ) : ""

  lifecycle_rules = try(jsondecode(var.lifecycle_rule), var.lifecycle_rule)
}

resource "aws_s3_bucket" "this" {
  count         = local.create ? 1 : 0
  bucket        = var.bucket
  force_destroy = var.force_destroy
  tags          = var.tags
}

resource "aws_s3_bucket_versioning" "this" {
  count  = local.create && length(keys(var.versioning)) > 0 ? 1 : 0
  bucket = aws_s3_bucket.this[0].id

  versioning_configuration {
    status     = try(var.versioning["enabled"] ? "Enabled" : "Suspended", tobool(var.versioning["status"]) ? "Enabled" : "Suspended", title(lower(var.versioning["status"])), "Enabled")
    mfa_delete = try(tobool(var.versioning["mfa_delete"]) ? "Enabled" : "Disabled", title(lower(var.versioning["mfa_delete"])), null)
  }
}

resource "aws_s3_bucket_logging" "this" {
  count  = local.create && length(keys(var.logging)) > 0 ? 1 : 0
  bucket = aws_s3_bucket.this[0].id

  target_bucket = var.logging["target_bucket"]
  target_prefix = try(var.logging["target_prefix"], null)
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  count  = local.create && length(keys(var.server_side_encryption_configuration)) > 0 ? 1 : 0
  bucket = aws_s3_bucket.this[0].id

  dynamic "rule" {
    for_each = try(flatten([var.server_side_encryption_configuration["rule"]]), [])
    content {
      bucket_key_enabled = try(rule.value.bucket_key_enabled, null)

      dynamic "apply_server_side_encryption_by_default" {
        for_each = try([rule.value.apply_server_side_encryption_by_default], [])
        content {
          sse_algorithm     = apply_server_side_encryption_by_default.value.sse_algorithm
          kms_master_key_id = try(apply_server_side_encryption_by_default.value.kms_master_key_id, null)
        }
      }
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  count  = local.create && length(local.lifecycle_rules) > 0 ? 1 : 0
  bucket = aws_s3_bucket.this[0].id

  dynamic "rule" {
    for_each = local.lifecycle_rules
    content {
      id     = try(rule.value.id, null)
      status = try(rule.value.enabled ? "Enabled" : "Disabled", tobool(rule.value.status) ? "Enabled" : "Disabled", title(lower(rule.value.status)))

      dynamic "expiration" {
        for_each = try(flatten([rule.value.expiration]), [])
        content {
          days = try(expiration.value.days, null)
        }
      }
    }
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  count  = local.create ? 1 : 0
  bucket = aws_s3_bucket.this[0].id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_policy" "this" {
  count  = local.create && local.attach_policy ? 1 : 0
  bucket = aws_s3_bucket.this[0].id
  policy = local.policy

  depends_on = [aws_s3_bucket_public_access_block.this]
}

data "aws_iam_policy_document" "deny_insecure_transport" {
  count = local.create && var.attach_deny_insecure_transport_policy ? 1 : 0

  statement {
    sid       = "denyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = ["_BUCKET_ARN_", "_BUCKET_ARN_/*"]
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

data "aws_iam_policy_document" "combined" {
  count = local.create && local.attach_policy ? 1 : 0

  source_policy_documents = compact([
    var.attach_deny_insecure_transport_policy ? data.aws_iam_policy_document.deny_insecure_transport[0].json : "",
    var.policy != null ? var.policy : "",
  ])
}

output "bucket_id" {
  value = try(aws_s3_bucket.this[0].id, "")
}
