# Corpus fixture: constructs seen in the community S3 bucket module
# (terraform-aws-modules/terraform-aws-s3-bucket at dd0c434de5e7), reproduced in code
# written for plumb's tests: try() chains that pick the first argument Terraform accepts,
# jsondecode of `any` variables, policies combined with source_policy_documents and
# placeholders replaced afterwards, dynamic blocks over try([var.x["key"]], []).

module "logs" {
  source = "./modules/bucket"

  bucket = "acme-corpus-logs"
  versioning = {
    status = true
  }
  server_side_encryption_configuration = {
    rule = {
      apply_server_side_encryption_by_default = { sse_algorithm = "AES256" }
    }
  }
  attach_deny_insecure_transport_policy = true
}

module "data" {
  source = "./modules/bucket"

  bucket = "acme-corpus-data"
  versioning = {
    enabled    = true
    mfa_delete = false
  }
  logging = {
    target_bucket = module.logs.bucket_id
    target_prefix = "data/"
  }
  lifecycle_rule = jsonencode([{ id = "expire", enabled = true, expiration = { days = 90 } }])
  server_side_encryption_configuration = {
    rule = {
      bucket_key_enabled = true
      apply_server_side_encryption_by_default = {
        sse_algorithm     = "aws:kms"
        kms_master_key_id = "arn:aws:kms:us-east-1:111122223333:key/8f1c2a4e-0b5d-4c3e-9a7f-2d6e1b0c9a88"
      }
    }
  }
  attach_deny_insecure_transport_policy = true
}
