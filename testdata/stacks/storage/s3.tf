# S3: four buckets through the local `bucket` module with for_each, every split resource carrying
# `expected_bucket_owner` (its state id becomes `bucket,account`), plus replication between two
# versioned buckets, event notifications to an SQS queue, and the account's public access block.

data "aws_caller_identity" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id

  buckets = {
    # A static site behind CloudFront: website hosting, CORS for the app's origin, transfer
    # acceleration, an ACL for the log-delivery group with ownership controls that allow ACLs.
    site = {
      object_ownership    = "BucketOwnerPreferred"
      acl                 = "private"
      versioning          = null
      object_lock         = false
      acceleration_status = "Enabled"
      request_payer       = null
      cors_rules = [
        {
          id              = "app"
          allowed_headers = ["Authorization", "Content-Type"]
          allowed_methods = ["GET", "HEAD"]
          allowed_origins = ["https://app.example.org"]
          expose_headers  = ["ETag"]
          max_age_seconds = 3000
        },
        {
          allowed_methods = ["PUT", "POST"]
          allowed_origins = ["https://upload.example.org"]
        },
      ]
      website = {
        index_document = "index.html"
        error_document = "error.html"
        routing_rules = [
          { key_prefix_equals = "docs/", replace_key_prefix_with = "documents/" },
        ]
      }
      lifecycle_rules     = []
      intelligent_tiering = {}
      metrics             = {}
    }
    # The data lake: versioned, encrypted with the storage key, replicated, archived by
    # intelligent tiering, measured by request metrics, expiring scratch objects.
    data = {
      object_ownership    = "BucketOwnerEnforced"
      acl                 = null
      versioning          = "Enabled"
      object_lock         = false
      acceleration_status = null
      request_payer       = "Requester"
      cors_rules          = []
      website             = null
      lifecycle_rules     = [{ id = "scratch", prefix = "scratch/", expiration_days = 7 }]
      intelligent_tiering = {
        archive = {
          prefix  = "archive/"
          tiering = { ARCHIVE_ACCESS = 90, DEEP_ARCHIVE_ACCESS = 180 }
        }
      }
      metrics = {
        EntireBucket = {}
        uploads      = { prefix = "uploads/" }
      }
    }
    # The replica, in the same region for the emulator (cross-region in production).
    replica = {
      object_ownership    = "BucketOwnerEnforced"
      acl                 = null
      versioning          = "Enabled"
      object_lock         = false
      acceleration_status = null
      request_payer       = null
      cors_rules          = []
      website             = null
      lifecycle_rules     = []
      intelligent_tiering = {}
      metrics             = {}
    }
    # Audit evidence under object lock (governance mode, 30 days).
    vault = {
      object_ownership    = "BucketOwnerEnforced"
      acl                 = null
      versioning          = "Enabled"
      object_lock         = true
      acceleration_status = null
      request_payer       = null
      cors_rules          = []
      website             = null
      lifecycle_rules     = []
      intelligent_tiering = {}
      metrics             = {}
    }
  }
}

module "bucket" {
  source   = "./modules/bucket"
  for_each = local.buckets

  name                  = "storage-${each.key}"
  expected_bucket_owner = local.account_id
  object_ownership      = each.value.object_ownership
  acl                   = each.value.acl
  versioning            = each.value.versioning
  sse_kms               = each.key == "data"
  kms_key_arn           = aws_kms_key.storage.arn
  object_lock_enabled   = each.value.object_lock
  object_lock_retention = each.value.object_lock ? { mode = "GOVERNANCE", days = 30 } : null
  cors_rules            = each.value.cors_rules
  website               = each.value.website
  lifecycle_rules       = each.value.lifecycle_rules
  acceleration_status   = each.value.acceleration_status
  request_payer         = each.value.request_payer
  intelligent_tiering   = each.value.intelligent_tiering
  metrics               = each.value.metrics
  tags                  = { Dataset = each.key }
}

# Replication: data -> replica, with the role S3 assumes to copy objects.
resource "aws_iam_role" "replication" {
  name = "storage-replication"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "s3.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_s3_bucket_replication_configuration" "data" {
  bucket = module.bucket["data"].id
  role   = aws_iam_role.replication.arn

  rule {
    id       = "everything"
    priority = 1
    status   = "Enabled"
    filter {
      prefix = ""
    }
    delete_marker_replication {
      status = "Enabled"
    }
    destination {
      bucket        = module.bucket["replica"].arn
      storage_class = "STANDARD_IA"
    }
  }

  rule {
    id       = "reports"
    priority = 2
    status   = "Enabled"
    filter {
      and {
        prefix = "reports/"
        tags   = { Replicate = "yes" }
      }
    }
    delete_marker_replication {
      status = "Disabled"
    }
    destination {
      bucket        = module.bucket["replica"].arn
      storage_class = "GLACIER"
    }
  }

  # Replication needs versioning on both sides first.
  depends_on = [module.bucket]
}

# Event notifications: new uploads land on a queue.
resource "aws_sqs_queue" "uploads" {
  name = "storage-uploads"
}

resource "aws_sqs_queue_policy" "uploads" {
  queue_url = aws_sqs_queue.uploads.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "s3.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = aws_sqs_queue.uploads.arn
      Condition = { ArnEquals = { "aws:SourceArn" = module.bucket["data"].arn } }
    }]
  })
}

resource "aws_s3_bucket_notification" "data" {
  bucket = module.bucket["data"].id

  queue {
    id            = "uploads"
    queue_arn     = aws_sqs_queue.uploads.arn
    events        = ["s3:ObjectCreated:*"]
    filter_prefix = "uploads/"
  }

  depends_on = [aws_sqs_queue_policy.uploads]
}

# Account-wide S3 Block Public Access.
resource "aws_s3_account_public_access_block" "this" {
  account_id              = local.account_id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
