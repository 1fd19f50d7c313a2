resource "aws_s3_bucket" "b" {
  bucket = substr("abc", 1, 1e30)
}
