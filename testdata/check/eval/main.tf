# Evaluation fixture: every construct the loader supports, one resource each.
variable "name" {
  default = "base"
}

variable "rotation" {
  description = "No default and no value given: unknown until someone sets it."
  type        = bool
}

variable "zones" {
  default = ["a", "b"]
}

variable "override" {
  default = "from-default"
}

locals {
  upper_name = upper(var.name)
  joined     = join(",", concat(var.zones, ["c"]))
  merged     = merge({ a = 1 }, { b = 2 }, { a = 3 })
  looked_up  = lookup(local.merged, "b", 0)
  missing    = lookup(local.merged, "z", "fallback")
  cidrs      = [for i in range(3) : cidrsubnet("10.0.0.0/16", 8, i)]
  by_zone    = { for z in var.zones : z => "subnet-${z}" }
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Deny", Action = "s3:*", Resource = "${aws_s3_bucket.named.arn}/*" }]
  })
}

resource "aws_kms_key" "maybe_rotating" {
  description         = "rotation from a variable with no value"
  enable_key_rotation = var.rotation
}

resource "aws_s3_bucket" "named" {
  bucket = format("%s-%s", local.upper_name, var.override)
  tags = {
    Joined   = local.joined
    LookedUp = tostring(local.looked_up)
    Missing  = local.missing
    Cond     = var.name == "base" ? "yes" : "no"
    Math     = tostring(2 * 3 + 1)
  }
}

resource "aws_s3_bucket_policy" "named" {
  bucket = aws_s3_bucket.named.id
  policy = local.policy
}

resource "aws_subnet" "each" {
  for_each   = local.by_zone
  vpc_id     = "vpc-123"
  cidr_block = local.cidrs[index(var.zones, each.key)]
  tags       = { Name = each.value }
}

resource "aws_ebs_volume" "counted" {
  count             = length(var.zones)
  availability_zone = "us-east-1${var.zones[count.index]}"
  size              = 10 * (count.index + 1)
  encrypted         = true
}

module "net" {
  source = "./modules/net"
  count  = 2
  cidr   = local.cidrs[count.index]
}

module "remote" {
  source = "terraform-aws-modules/vpc/aws"
}

resource "aws_security_group" "uses_module_output" {
  name   = module.net[1].name
  vpc_id = module.remote.vpc_id
}
