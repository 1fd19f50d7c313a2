# Fixture stand-in for a git KMS module (written for plumb's tests).

data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}

variable "create" {
  type    = bool
  default = true
}

variable "description" {
  type    = string
  default = null
}

variable "enable_key_rotation" {
  type    = bool
  default = true
}

variable "policy" {
  type    = string
  default = null
}

variable "enable_default_policy" {
  type    = bool
  default = true
}

variable "key_statements" {
  type    = any
  default = []
}

variable "aliases" {
  type    = list(string)
  default = []
}

resource "aws_kms_key" "this" {
  count = var.create ? 1 : 0

  description         = var.description
  enable_key_rotation = var.enable_key_rotation
  policy              = coalesce(var.policy, data.aws_iam_policy_document.this[0].json)
}

data "aws_iam_policy_document" "this" {
  count = var.create ? 1 : 0

  dynamic "statement" {
    for_each = var.enable_default_policy ? [1] : []
    content {
      sid       = "AccountRoot"
      actions   = ["kms:*"]
      resources = ["*"]
      principals {
        type        = "AWS"
        identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
      }
    }
  }

  dynamic "statement" {
    for_each = var.key_statements
    content {
      sid         = try(statement.value.sid, null)
      actions     = try(statement.value.actions, null)
      not_actions = try(statement.value.not_actions, null)
      effect      = try(statement.value.effect, null)
      resources   = try(statement.value.resources, null)

      dynamic "principals" {
        for_each = try(statement.value.principals, [])
        content {
          type        = principals.value.type
          identifiers = principals.value.identifiers
        }
      }

      dynamic "condition" {
        for_each = try(statement.value.conditions, [])
        content {
          test     = condition.value.test
          variable = condition.value.variable
          values   = condition.value.values
        }
      }
    }
  }
}

locals {
  # Keyed by the alias itself: a for-expression over a set gives each element as its key.
  aliases = { for k, v in toset(var.aliases) : k => { name = v } }
}

resource "aws_kms_alias" "this" {
  for_each = { for k, v in local.aliases : k => v if var.create }

  name          = "alias/${each.value.name}"
  target_key_id = try(aws_kms_key.this[0].key_id, null)
}

output "key_arn" {
  value = try(aws_kms_key.this[0].arn, null)
}
