variable "environment" {
  type    = string
  default = "staging"

  validation {
    condition     = contains(["dev", "prod"], var.environment)
    error_message = "environment must be dev or prod."
  }
}

resource "aws_s3_bucket" "this" {
  bucket = "acme-${var.environment}"
}
