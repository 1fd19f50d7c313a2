variable "env" {
  default = "dev"
}

resource "aws_s3_bucket" "a" {
  bucket = "clinic-${var.environment}-records"
}
