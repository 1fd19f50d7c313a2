variable "cidr" {
  type = string
}

resource "aws_vpc" "this" {
  cidr_block = var.cidr
  tags       = { Name = "net-${replace(var.cidr, "/", "_")}" }
}

output "name" {
  value = aws_vpc.this.tags["Name"]
}
