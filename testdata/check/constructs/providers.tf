# This file begins with a UTF-8 byte-order mark, as editors on Windows write them:
# Terraform reads it, and so must plumb.

provider "aws" {
  region = "us-east-1"

  default_tags {
    tags = {
      Owner      = "platform"
      DataClass  = var.data_class
    }
  }
}

provider "aws" {
  alias  = "west"
  region = "us-west-2"
}
