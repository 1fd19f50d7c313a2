# Provider wiring shared by every fixture stack: all endpoints point at one emulator (moto) URL,
# passed in as `endpoint`, so the same stack applies against any port.
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

variable "access_key" {
  type    = string
  default = "test"
}

variable "secret_key" {
  type      = string
  default   = "test"
  sensitive = true
}

provider "aws" {
  region                      = var.region
  access_key                  = var.access_key
  secret_key                  = var.secret_key
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  s3_use_path_style           = true

  endpoints {
    ec2 = var.endpoint
    s3  = var.endpoint
    kms = var.endpoint
    sts = var.endpoint
    iam = var.endpoint
  }

  default_tags {
    tags = {
      Project     = "plumb-fixture"
      Environment = "test"
    }
  }
}
