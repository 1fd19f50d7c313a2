resource "aws_s3_bucket" "b" {
  count  = 99999999999
  bucket = "b-${count.index}"
}
