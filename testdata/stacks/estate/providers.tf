# Provider wiring for the estate stack: the stack is applied once per emulated account. In a
# member account Terraform works through the role AWS Organizations created there
# (`role_arn`, assumed from the management account's `test` keys); in the management account
# `role_arn` is empty and Terraform uses the keys directly. Every endpoint points at one emulator.
terraform {
  required_version = ">= 1.7"
  required_providers {
    aws = { source = "hashicorp/aws", version = "5.100.0" }
  }
}

variable "endpoint" {
  description = "Emulator URL, e.g. http://127.0.0.1:5000"
  type        = string
}

variable "role_arn" {
  description = "Role to apply with in a member account; empty in the management account"
  type        = string
  default     = ""
}

variable "access_key" {
  type    = string
  default = "test"
}

variable "secret_key" {
  type      = string
  default   = "test"
  sensitive = true
}

locals {
  endpoints = {
    ec2 = var.endpoint
    s3  = var.endpoint
    sts = var.endpoint
    iam = var.endpoint
  }
}

provider "aws" {
  region                      = "us-east-1"
  access_key                  = var.access_key
  secret_key                  = var.secret_key
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  s3_use_path_style           = true

  dynamic "assume_role" {
    for_each = var.role_arn == "" ? [] : [var.role_arn]
    content {
      role_arn     = assume_role.value
      session_name = "terraform"
    }
  }

  endpoints {
    ec2 = local.endpoints.ec2
    s3  = local.endpoints.s3
    sts = local.endpoints.sts
    iam = local.endpoints.iam
  }

  default_tags {
    tags = {
      Project     = "plumb-fixture"
      Environment = var.environment
    }
  }
}

provider "aws" {
  alias                       = "west"
  region                      = "eu-west-1"
  access_key                  = var.access_key
  secret_key                  = var.secret_key
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  s3_use_path_style           = true

  dynamic "assume_role" {
    for_each = var.role_arn == "" ? [] : [var.role_arn]
    content {
      role_arn     = assume_role.value
      session_name = "terraform"
    }
  }

  endpoints {
    ec2 = local.endpoints.ec2
    s3  = local.endpoints.s3
    sts = local.endpoints.sts
    iam = local.endpoints.iam
  }

  default_tags {
    tags = {
      Project     = "plumb-fixture"
      Environment = var.environment
    }
  }
}
