variable "create_bucket" {
  type    = bool
  default = true
}

variable "bucket" {
  type    = string
  default = null
}

variable "force_destroy" {
  type    = bool
  default = false
}

variable "tags" {
  type    = map(string)
  default = {}
}

variable "versioning" {
  type    = map(string)
  default = {}
}

variable "logging" {
  type    = any
  default = {}
}

variable "lifecycle_rule" {
  description = "A list of rules, or the same as a JSON string (as Terragrunt passes `any`)."
  type        = any
  default     = []
}

variable "server_side_encryption_configuration" {
  type    = any
  default = {}
}

variable "attach_deny_insecure_transport_policy" {
  type    = bool
  default = false
}

variable "policy" {
  type    = string
  default = null
}
