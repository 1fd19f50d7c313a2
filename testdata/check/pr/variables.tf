variable "env" {
  type    = string
  default = "dev"
}

variable "buckets" {
  description = "PHI buckets to create, by short name; kms = false keeps SSE-S3 (a violation)."
  type        = map(object({ kms = bool }))
  default     = {}
}

variable "retention_days" {
  type = number
}

variable "vpc_cidr" {
  default = "10.20.0.0/16"
}

variable "admin_cidr" {
  default = "10.0.0.0/8"
}
