resource "aws_s3_bucket" "é" {
  bucket = "é
}
