# Provider wiring as in testdata/stacks/core/providers.tf: every endpoint points at one emulator
# URL, passed in as `endpoint`.
terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = { source = "hashicorp/aws", version = "5.100.0" }
  }
}

variable "endpoint" {
  description = "Emulator URL, e.g. http://127.0.0.1:5000"
  type        = string
}

variable "region" {
  type    = string
  default = "us-east-1"
}

provider "aws" {
  region                      = var.region
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  s3_use_path_style           = true

  endpoints {
    ec2 = var.endpoint
    rds = var.endpoint
    s3  = var.endpoint
    kms = var.endpoint
    sts = var.endpoint
    iam = var.endpoint
  }

  default_tags {
    tags = {
      Project     = "plumb-bench"
      Environment = "bench"
    }
  }
}
