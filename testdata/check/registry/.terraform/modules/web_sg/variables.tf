variable "create" {
  type    = bool
  default = true
}

variable "guard" {
  description = "A second switch, as some modules carry."
  type        = bool
  default     = true
}

variable "create_group" {
  type    = bool
  default = true
}

variable "existing_group_id" {
  type    = string
  default = null
}

variable "use_name_prefix" {
  type    = bool
  default = false
}

variable "name" {
  type = string
}

variable "description" {
  type    = string
  default = "Managed by a module"
}

variable "vpc_id" {
  type    = string
  default = null
}

variable "tags" {
  type    = map(string)
  default = {}
}

variable "allow_all_egress" {
  type    = bool
  default = true
}

variable "ingress_rules" {
  type    = list(string)
  default = []

  validation {
    condition     = alltrue([for r in var.ingress_rules : r != ""])
    error_message = "Rule names must not be empty."
  }
}

variable "ingress_cidr_blocks" {
  type    = list(string)
  default = []
}

variable "ingress_with_cidr_blocks" {
  type    = list(map(string))
  default = []
}

# name = [from, to, protocol, description]
variable "catalogue" {
  type = map(list(any))
  default = {
    https    = [443, 443, "tcp", "HTTPS"]
    ssh      = [22, 22, "tcp", "SSH"]
    postgres = [5432, 5432, "tcp", "PostgreSQL"]
    all      = [-1, -1, "-1", "All protocols"]
    _        = ["", "", ""]
  }
}
