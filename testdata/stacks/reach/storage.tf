# Buckets as the community S3 bucket module's inventory, analytics and object examples use
# them: inventory and analytics configurations per bucket (`for_each` over a map), objects
# written by Terraform (content, metadata, storage class, KMS encryption, tags), and the
# exclusive policy attachment its replication example gives the replication role.

locals {
  inventory = {
    daily = {
      included_object_versions = "Current"
      frequency                = "Daily"
      format                   = "CSV"
      prefix                   = "documents/"
      optional_fields          = null
      sse                      = "sse_kms"
    }
    weekly = {
      included_object_versions = "All"
      frequency                = "Weekly"
      format                   = "Parquet"
      prefix                   = null
      optional_fields          = ["Size", "EncryptionStatus", "StorageClass"]
      sse                      = "sse_s3"
    }
  }
  analytics = {
    prefix_documents = { prefix = "documents/", tags = null, export = false }
    tags             = { prefix = null, tags = { production = "true" }, export = true }
    all              = { prefix = null, tags = null, export = true }
  }
}

data "aws_caller_identity" "current" {}

resource "aws_kms_key" "objects" {
  description             = "reach: objects and inventory reports"
  deletion_window_in_days = 7
  enable_key_rotation     = true
}

resource "aws_s3_bucket" "data" {
  bucket        = "reach-data"
  force_destroy = true
}

resource "aws_s3_bucket" "reports" {
  bucket        = "reach-reports"
  force_destroy = true
}

resource "aws_s3_bucket_inventory" "this" {
  for_each = local.inventory

  name                     = each.key
  bucket                   = aws_s3_bucket.data.id
  included_object_versions = each.value.included_object_versions
  enabled                  = true
  optional_fields          = each.value.optional_fields

  destination {
    bucket {
      bucket_arn = aws_s3_bucket.reports.arn
      format     = each.value.format
      account_id = data.aws_caller_identity.current.account_id
      prefix     = "inventory"

      encryption {
        dynamic "sse_kms" {
          for_each = each.value.sse == "sse_kms" ? [true] : []
          content {
            key_id = aws_kms_key.objects.arn
          }
        }
        dynamic "sse_s3" {
          for_each = each.value.sse == "sse_s3" ? [true] : []
          content {}
        }
      }
    }
  }

  schedule {
    frequency = each.value.frequency
  }

  dynamic "filter" {
    for_each = each.value.prefix == null ? [] : [true]
    content {
      prefix = each.value.prefix
    }
  }
}

resource "aws_s3_bucket_analytics_configuration" "this" {
  for_each = local.analytics

  bucket = aws_s3_bucket.data.id
  name   = each.key

  dynamic "filter" {
    for_each = each.value.prefix == null && each.value.tags == null ? [] : [true]
    content {
      prefix = each.value.prefix
      tags   = each.value.tags
    }
  }

  dynamic "storage_class_analysis" {
    for_each = each.value.export ? [true] : []
    content {
      data_export {
        output_schema_version = "V_1"
        destination {
          s3_bucket_destination {
            bucket_arn        = aws_s3_bucket.reports.arn
            bucket_account_id = data.aws_caller_identity.current.account_id
            format            = "CSV"
            prefix            = "analytics"
          }
        }
      }
    }
  }
}

resource "aws_s3_object" "readme" {
  bucket       = aws_s3_bucket.data.id
  key          = "docs/README.txt"
  content      = "Reach fixture: objects Terraform writes.\n"
  content_type = "text/plain"
  tags         = { Sensitive = "not-really" }
}

resource "aws_s3_object" "complete" {
  bucket = aws_s3_bucket.data.id
  key    = "documents/invoice.json"

  content = jsonencode({ data = "value" })

  storage_class       = "ONEZONE_IA"
  cache_control       = "public; max-age=1200"
  content_disposition = "attachment; filename=\"invoice.json\""
  content_language    = "en-US"
  content_type        = "application/json"
  metadata = {
    key         = "value1"
    another-key = "value2"
  }

  server_side_encryption = "aws:kms"
  kms_key_id             = aws_kms_key.objects.arn
}

resource "aws_iam_role" "replication" {
  name = "reach-s3-replication"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "s3.amazonaws.com" }
    }]
  })
}

resource "aws_iam_policy" "replication" {
  name = "reach-s3-replication"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetReplicationConfiguration", "s3:ListBucket"]
      Resource = [aws_s3_bucket.data.arn]
    }]
  })
}

resource "aws_iam_policy_attachment" "replication" {
  name       = "reach-s3-replication"
  roles      = [aws_iam_role.replication.name]
  policy_arn = aws_iam_policy.replication.arn
}
