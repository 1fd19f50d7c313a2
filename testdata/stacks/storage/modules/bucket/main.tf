# A bucket with every setting as its own optional split resource, written the way the popular
# community S3 modules write it: each setting switched on by its variable (`count` on a
# null/empty check, `for_each` over maps for the named configurations), dynamic blocks for
# lists of rules, and `expected_bucket_owner` on every split resource that accepts it.

variable "name" {
  type = string
}

variable "expected_bucket_owner" {
  description = "Account that must own the bucket (sent as x-amz-expected-bucket-owner)"
  type        = string
  default     = null
}

variable "tags" {
  type    = map(string)
  default = {}
}

variable "object_lock_enabled" {
  type    = bool
  default = false
}

variable "object_ownership" {
  description = "BucketOwnerEnforced, BucketOwnerPreferred or ObjectWriter; null for none"
  type        = string
  default     = null
}

variable "acl" {
  description = "Canned ACL; needs object_ownership other than BucketOwnerEnforced"
  type        = string
  default     = null
}

variable "versioning" {
  type    = string
  default = null
}

variable "sse_kms" {
  description = "Default encryption with kms_key_arn (a flag: the key's ARN is unknown until apply)"
  type        = bool
  default     = false
}

variable "kms_key_arn" {
  type    = string
  default = null
}

variable "cors_rules" {
  type = list(object({
    id              = optional(string)
    allowed_headers = optional(list(string))
    allowed_methods = list(string)
    allowed_origins = list(string)
    expose_headers  = optional(list(string))
    max_age_seconds = optional(number)
  }))
  default = []
}

variable "website" {
  type = object({
    index_document = string
    error_document = optional(string)
    routing_rules = optional(list(object({
      key_prefix_equals       = optional(string)
      http_error_code         = optional(string)
      replace_key_prefix_with = optional(string)
      host_name               = optional(string)
    })), [])
  })
  default = null
}

variable "lifecycle_rules" {
  type = list(object({
    id              = string
    prefix          = string
    expiration_days = number
  }))
  default = []
}

variable "object_lock_retention" {
  type = object({
    mode = string
    days = optional(number)
  })
  default = null
}

variable "acceleration_status" {
  type    = string
  default = null
}

variable "request_payer" {
  type    = string
  default = null
}

variable "intelligent_tiering" {
  type = map(object({
    status  = optional(string, "Enabled")
    prefix  = optional(string)
    tags    = optional(map(string))
    tiering = map(number)
  }))
  default = {}
}

variable "metrics" {
  type = map(object({
    prefix = optional(string)
    tags   = optional(map(string))
  }))
  default = {}
}

resource "aws_s3_bucket" "this" {
  bucket              = var.name
  object_lock_enabled = var.object_lock_enabled ? true : null
  force_destroy       = true
  tags                = merge(var.tags, { Name = var.name })
}

resource "aws_s3_bucket_ownership_controls" "this" {
  count  = var.object_ownership != null ? 1 : 0
  bucket = aws_s3_bucket.this.id
  rule {
    object_ownership = var.object_ownership
  }
}

resource "aws_s3_bucket_acl" "this" {
  count                 = var.acl != null ? 1 : 0
  bucket                = aws_s3_bucket.this.id
  expected_bucket_owner = var.expected_bucket_owner
  acl                   = var.acl

  # ACLs are refused while ownership is BucketOwnerEnforced (the default since 2023).
  depends_on = [aws_s3_bucket_ownership_controls.this]
}

resource "aws_s3_bucket_versioning" "this" {
  count                 = var.versioning != null ? 1 : 0
  bucket                = aws_s3_bucket.this.id
  expected_bucket_owner = var.expected_bucket_owner
  versioning_configuration {
    status = var.versioning
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  count                 = var.sse_kms ? 1 : 0
  bucket                = aws_s3_bucket.this.id
  expected_bucket_owner = var.expected_bucket_owner
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_cors_configuration" "this" {
  count                 = length(var.cors_rules) > 0 ? 1 : 0
  bucket                = aws_s3_bucket.this.id
  expected_bucket_owner = var.expected_bucket_owner

  dynamic "cors_rule" {
    for_each = var.cors_rules
    content {
      id              = cors_rule.value.id
      allowed_headers = cors_rule.value.allowed_headers
      allowed_methods = cors_rule.value.allowed_methods
      allowed_origins = cors_rule.value.allowed_origins
      expose_headers  = cors_rule.value.expose_headers
      max_age_seconds = cors_rule.value.max_age_seconds
    }
  }
}

resource "aws_s3_bucket_website_configuration" "this" {
  count                 = var.website != null ? 1 : 0
  bucket                = aws_s3_bucket.this.id
  expected_bucket_owner = var.expected_bucket_owner

  index_document {
    suffix = var.website.index_document
  }

  dynamic "error_document" {
    for_each = var.website.error_document != null ? [var.website.error_document] : []
    content {
      key = error_document.value
    }
  }

  dynamic "routing_rule" {
    for_each = var.website.routing_rules
    content {
      condition {
        key_prefix_equals               = routing_rule.value.key_prefix_equals
        http_error_code_returned_equals = routing_rule.value.http_error_code
      }
      redirect {
        replace_key_prefix_with = routing_rule.value.replace_key_prefix_with
        host_name               = routing_rule.value.host_name
      }
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  count                 = length(var.lifecycle_rules) > 0 ? 1 : 0
  bucket                = aws_s3_bucket.this.id
  expected_bucket_owner = var.expected_bucket_owner

  dynamic "rule" {
    for_each = var.lifecycle_rules
    content {
      id     = rule.value.id
      status = "Enabled"
      filter {
        prefix = rule.value.prefix
      }
      expiration {
        days = rule.value.expiration_days
      }
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}

resource "aws_s3_bucket_object_lock_configuration" "this" {
  count                 = var.object_lock_retention != null ? 1 : 0
  bucket                = aws_s3_bucket.this.id
  expected_bucket_owner = var.expected_bucket_owner

  rule {
    default_retention {
      mode = var.object_lock_retention.mode
      days = var.object_lock_retention.days
    }
  }
}

resource "aws_s3_bucket_accelerate_configuration" "this" {
  count                 = var.acceleration_status != null ? 1 : 0
  bucket                = aws_s3_bucket.this.id
  expected_bucket_owner = var.expected_bucket_owner
  status                = var.acceleration_status
}

resource "aws_s3_bucket_request_payment_configuration" "this" {
  count                 = var.request_payer != null ? 1 : 0
  bucket                = aws_s3_bucket.this.id
  expected_bucket_owner = var.expected_bucket_owner
  payer                 = var.request_payer
}

resource "aws_s3_bucket_intelligent_tiering_configuration" "this" {
  for_each = var.intelligent_tiering
  bucket   = aws_s3_bucket.this.id
  name     = each.key
  status   = each.value.status

  dynamic "filter" {
    for_each = each.value.prefix != null || each.value.tags != null ? [1] : []
    content {
      prefix = each.value.prefix
      tags   = each.value.tags
    }
  }

  dynamic "tiering" {
    for_each = each.value.tiering
    content {
      access_tier = tiering.key
      days        = tiering.value
    }
  }
}

resource "aws_s3_bucket_metric" "this" {
  for_each = var.metrics
  bucket   = aws_s3_bucket.this.id
  name     = each.key

  dynamic "filter" {
    for_each = each.value.prefix != null || each.value.tags != null ? [1] : []
    content {
      prefix = each.value.prefix
      tags   = each.value.tags
    }
  }
}

output "id" {
  value = aws_s3_bucket.this.id
}

output "arn" {
  value = aws_s3_bucket.this.arn
}

output "versioning" {
  value = try(aws_s3_bucket_versioning.this[0].id, null)
}
