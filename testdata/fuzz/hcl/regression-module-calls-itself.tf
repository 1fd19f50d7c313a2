module "again" {
  source = "./"
}
module "twice" {
  source = "./modules/../"
}
resource "aws_s3_bucket" "b" {
  lifecycle {
    ignore_changes = [tags]
  }
}
