locals {
  whole   = cidrsubnet("0.0.0.0/0", 0, 0)
  too_far = cidrsubnet("10.0.0.0/8", 40, 1)
  max     = cidrsubnet("10.0.0.0/8", 4294967295, 0)
}
resource "aws_subnet" "s" {
  vpc_id     = "vpc-1"
  cidr_block = local.whole
  tags       = { a = local.too_far, b = local.max }
}
