locals {
  r = range(1e16, 1e16 + 10)
}
resource "aws_s3_bucket" "b" {
  count  = length(local.r)
  bucket = "b-${count.index}"
}
