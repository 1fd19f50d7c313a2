resource "aws_s3_bucket" "a" {
  bucket = "x"
}

resource "aws_kms_key" "k" {
  description = "oops
  enable_key_rotation = true
