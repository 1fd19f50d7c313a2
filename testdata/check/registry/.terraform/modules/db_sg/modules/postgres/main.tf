# Fixture stand-in for a registry "preset" submodule: the package root with PostgreSQL
# rules added.

module "sg" {
  source = "../../"

  name                = var.name
  vpc_id              = var.vpc_id
  tags                = var.tags
  ingress_rules       = sort(compact(distinct(concat(var.preset_rules, var.ingress_rules, [""]))))
  ingress_cidr_blocks = var.ingress_cidr_blocks
}

variable "preset_rules" {
  type    = list(string)
  default = ["postgres"]
}

variable "name" {
  type = string
}

variable "vpc_id" {
  type    = string
  default = null
}

variable "tags" {
  type    = map(string)
  default = {}
}

variable "ingress_rules" {
  type    = list(string)
  default = []
}

variable "ingress_cidr_blocks" {
  type    = list(string)
  default = []
}

output "security_group_id" {
  value = module.sg.security_group_id
}
