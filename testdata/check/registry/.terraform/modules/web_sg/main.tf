# Fixture stand-in for a registry security-group package (written for plumb's tests).

locals {
  enabled = var.create && var.guard

  # The group's id whichever of the two groups exists, "" when none does.
  group_id = var.create_group ? concat(aws_security_group.named.*.id, aws_security_group.prefixed.*.id, [""])[0] : var.existing_group_id
}

resource "aws_security_group" "named" {
  count = local.enabled && var.create_group && !var.use_name_prefix ? 1 : 0

  name        = var.name
  description = var.description
  vpc_id      = var.vpc_id
  tags        = merge({ "Name" = format("%s", var.name) }, var.tags)
}

resource "aws_security_group" "prefixed" {
  count = local.enabled && var.create_group && var.use_name_prefix ? 1 : 0

  name_prefix = "${var.name}-"
  description = var.description
  vpc_id      = var.vpc_id
  tags        = merge({ "Name" = format("%s", var.name) }, var.tags)

  lifecycle {
    create_before_destroy = true
  }
}

# Rules by catalogue name, open to the default CIDR blocks.
resource "aws_security_group_rule" "by_name" {
  count = local.enabled ? length(var.ingress_rules) : 0

  security_group_id = local.group_id
  type              = "ingress"
  cidr_blocks       = var.ingress_cidr_blocks
  description       = var.catalogue[var.ingress_rules[count.index]][3]
  from_port         = var.catalogue[var.ingress_rules[count.index]][0]
  to_port           = var.catalogue[var.ingress_rules[count.index]][1]
  protocol          = var.catalogue[var.ingress_rules[count.index]][2]
}

# Rules as maps: explicit ports, or a catalogue name under "rule".
resource "aws_security_group_rule" "with_cidr_blocks" {
  count = local.enabled ? length(var.ingress_with_cidr_blocks) : 0

  security_group_id = local.group_id
  type              = "ingress"
  cidr_blocks = compact(split(",", lookup(var.ingress_with_cidr_blocks[count.index], "cidr_blocks", join(",", var.ingress_cidr_blocks))))
  description = lookup(var.ingress_with_cidr_blocks[count.index], "description", "Ingress Rule")
  from_port   = lookup(var.ingress_with_cidr_blocks[count.index], "from_port", var.catalogue[lookup(var.ingress_with_cidr_blocks[count.index], "rule", "_")][0])
  to_port     = lookup(var.ingress_with_cidr_blocks[count.index], "to_port", var.catalogue[lookup(var.ingress_with_cidr_blocks[count.index], "rule", "_")][1])
  protocol    = lookup(var.ingress_with_cidr_blocks[count.index], "protocol", var.catalogue[lookup(var.ingress_with_cidr_blocks[count.index], "rule", "_")][2])
}

resource "aws_security_group_rule" "egress_all" {
  count = local.enabled && var.allow_all_egress ? 1 : 0

  security_group_id = local.group_id
  type              = "egress"
  protocol          = "-1"
  from_port         = 0
  to_port           = 0
  cidr_blocks       = ["0.0.0.0/0"]
}

output "security_group_id" {
  value = local.group_id
}
