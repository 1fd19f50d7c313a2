variable "names" {
  default = ["a", "b"]
}

variable "n" {
  type    = number
  default = 2
}

locals {
  by_name = { for n in var.names : n => upper(n) }
  cidrs   = [for i in range(var.n) : cidrsubnet("10.0.0.0/16", 8, i)]
  doc     = jsondecode("{\"a\": [1, 2, {\"b\": null}]}")
  text    = <<-EOT
    hello ${var.names[0]}
    %{ for n in var.names }${n} %{ endfor }
  EOT
}

module "m" {
  source   = "./modules/m"
  for_each = local.by_name
  name     = each.value
  n        = 1
}

resource "aws_security_group" "web" {
  count  = var.n
  name   = "web-${count.index}"
  vpc_id = "vpc-0abc"

  dynamic "ingress" {
    for_each = toset([443, 80])
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = local.cidrs
    }
  }

  lifecycle {
    ignore_changes = [tags, ingress]
  }
}

resource "aws_s3_bucket_policy" "p" {
  bucket = module.m["a"].arn
  policy = jsonencode({ Statement = [{ Effect = "Deny", Resource = "${module.m["a"].arn}/*" }] })
}

output "first" {
  value = aws_security_group.web[0].name
}
