# The network layer the way community VPC modules lay it out: one VPC with a secondary CIDR,
# public subnets made with `count` over the AZs, private subnets with `for_each`, one NAT
# gateway (with its EIP) for the private tier, route tables whose routes are separate
# `aws_route` resources, one table with inline routes, the VPC's default security group,
# network ACL and route table adopted and locked down, a flow log, an S3 gateway endpoint,
# DHCP options, a managed prefix list.

locals {
  azs           = ["${var.region}a", "${var.region}b"]
  public_cidrs  = ["10.30.0.0/24", "10.30.1.0/24"]
  private_cidrs = { a = "10.30.10.0/24", b = "10.30.11.0/24" }
  db_cidrs      = ["10.31.0.0/24"]
}

resource "aws_vpc" "this" {
  cidr_block                       = "10.30.0.0/16"
  enable_dns_support               = true
  enable_dns_hostnames             = true
  assign_generated_ipv6_cidr_block = true
  tags                             = { Name = "net-main" }
}

resource "aws_vpc_ipv4_cidr_block_association" "db" {
  vpc_id     = aws_vpc.this.id
  cidr_block = "10.31.0.0/16"
}

resource "aws_default_security_group" "this" {
  vpc_id = aws_vpc.this.id
  tags   = { Name = "net-default-closed" }
}

resource "aws_default_network_acl" "this" {
  default_network_acl_id = aws_vpc.this.default_network_acl_id

  ingress {
    protocol   = -1
    rule_no    = 100
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }

  egress {
    protocol   = -1
    rule_no    = 100
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }

  tags = { Name = "net-default" }

  # The subnets move to the named ACLs below.
  lifecycle {
    ignore_changes = [subnet_ids]
  }
}

resource "aws_default_route_table" "this" {
  default_route_table_id = aws_vpc.this.default_route_table_id
  tags                   = { Name = "net-default" }
}

resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id
  tags   = { Name = "net-igw" }
}

resource "aws_egress_only_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id
  tags   = { Name = "net-eigw" }
}

resource "aws_subnet" "public" {
  count             = length(local.azs)
  vpc_id            = aws_vpc.this.id
  cidr_block        = local.public_cidrs[count.index]
  availability_zone = local.azs[count.index]
  tags              = { Name = "net-public-${count.index}", Tier = "public" }
}

resource "aws_subnet" "private" {
  for_each          = local.private_cidrs
  vpc_id            = aws_vpc.this.id
  cidr_block        = each.value
  availability_zone = "${var.region}${each.key}"
  tags              = { Name = "net-private-${each.key}", Tier = "private" }
}

resource "aws_subnet" "db" {
  count             = length(local.db_cidrs)
  vpc_id            = aws_vpc_ipv4_cidr_block_association.db.vpc_id
  cidr_block        = local.db_cidrs[count.index]
  availability_zone = local.azs[count.index]
  tags              = { Name = "net-db-${count.index}", Tier = "db" }
}

# Public tier: one table, routes as separate resources.
resource "aws_route_table" "public" {
  vpc_id = aws_vpc.this.id
  tags   = { Name = "net-public" }
}

resource "aws_route" "public_internet" {
  route_table_id         = aws_route_table.public.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.this.id
}

resource "aws_route" "public_internet_ipv6" {
  route_table_id              = aws_route_table.public.id
  destination_ipv6_cidr_block = "::/0"
  gateway_id                  = aws_internet_gateway.this.id
}

resource "aws_route_table_association" "public" {
  count          = length(aws_subnet.public)
  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public.id
}

# One NAT gateway for the private tier.
resource "aws_eip" "nat" {
  count  = 1
  domain = "vpc"
  tags   = { Name = "net-nat-${count.index}" }
}

resource "aws_nat_gateway" "this" {
  count         = 1
  allocation_id = aws_eip.nat[count.index].id
  subnet_id     = aws_subnet.public[count.index].id
  tags          = { Name = "net-nat-${count.index}" }

  depends_on = [aws_internet_gateway.this]
}

# Private tier: one table per AZ, routes as separate resources.
resource "aws_route_table" "private" {
  for_each = aws_subnet.private
  vpc_id   = aws_vpc.this.id
  tags     = { Name = "net-private-${each.key}" }
}

resource "aws_route" "private_nat" {
  for_each               = aws_route_table.private
  route_table_id         = each.value.id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.this[0].id
}

resource "aws_route" "private_ipv6_egress" {
  for_each                    = aws_route_table.private
  route_table_id              = each.value.id
  destination_ipv6_cidr_block = "::/0"
  egress_only_gateway_id      = aws_egress_only_internet_gateway.this.id
}

resource "aws_route_table_association" "private" {
  for_each       = aws_subnet.private
  subnet_id      = each.value.id
  route_table_id = aws_route_table.private[each.key].id
}

# Database tier: inline routes.
resource "aws_route_table" "db" {
  vpc_id = aws_vpc.this.id

  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.this[0].id
  }

  route {
    cidr_block           = "192.168.0.0/16"
    network_interface_id = aws_network_interface.appliance.id
  }

  tags = { Name = "net-db" }
}

resource "aws_route_table_association" "db" {
  count          = length(aws_subnet.db)
  subnet_id      = aws_subnet.db[count.index].id
  route_table_id = aws_route_table.db.id
}

# A network appliance's interface (the on-premises route above points at it).
resource "aws_network_interface" "appliance" {
  subnet_id         = aws_subnet.private["a"].id
  private_ips       = ["10.30.10.50"]
  security_groups   = [aws_security_group.app.id]
  source_dest_check = false
  description       = "on-premises appliance"
  tags              = { Name = "net-appliance" }
}

# Network ACLs: the public one with separate rule resources, the private one inline.
resource "aws_network_acl" "public" {
  vpc_id     = aws_vpc.this.id
  subnet_ids = aws_subnet.public[*].id
  tags       = { Name = "net-public" }
}

locals {
  public_acl_rules = {
    "100-in-https" = { egress = false, rule_number = 100, protocol = "tcp", from = 443, to = 443, cidr = "0.0.0.0/0" }
    "110-in-eph"   = { egress = false, rule_number = 110, protocol = "tcp", from = 1024, to = 65535, cidr = "0.0.0.0/0" }
    "100-out-all"  = { egress = true, rule_number = 100, protocol = "-1", from = 0, to = 0, cidr = "0.0.0.0/0" }
  }
}

resource "aws_network_acl_rule" "public" {
  for_each       = local.public_acl_rules
  network_acl_id = aws_network_acl.public.id
  egress         = each.value.egress
  rule_number    = each.value.rule_number
  rule_action    = "allow"
  protocol       = each.value.protocol
  from_port      = each.value.from
  to_port        = each.value.to
  cidr_block     = each.value.cidr
}

resource "aws_network_acl" "private" {
  vpc_id     = aws_vpc.this.id
  subnet_ids = [for s in aws_subnet.private : s.id]

  ingress {
    protocol   = "tcp"
    rule_no    = 100
    action     = "allow"
    cidr_block = aws_vpc.this.cidr_block
    from_port  = 0
    to_port    = 65535
  }

  egress {
    protocol   = "-1"
    rule_no    = 100
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }

  tags = { Name = "net-private" }
}

# Flow logs of the whole VPC to S3.
resource "aws_s3_bucket" "flow_logs" {
  bucket        = "net-flow-logs"
  force_destroy = true
}

resource "aws_flow_log" "this" {
  vpc_id               = aws_vpc.this.id
  traffic_type         = "ALL"
  log_destination_type = "s3"
  log_destination      = aws_s3_bucket.flow_logs.arn
  tags                 = { Name = "net-flow" }
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.this.id
  service_name      = "com.amazonaws.${var.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [for t in aws_route_table.private : t.id]
  tags              = { Name = "net-s3" }
}

resource "aws_vpc_dhcp_options" "this" {
  domain_name         = "clinic.internal"
  domain_name_servers = ["AmazonProvidedDNS"]
  tags                = { Name = "net-dhcp" }
}

resource "aws_vpc_dhcp_options_association" "this" {
  vpc_id          = aws_vpc.this.id
  dhcp_options_id = aws_vpc_dhcp_options.this.id
}

resource "aws_ec2_managed_prefix_list" "office" {
  name           = "clinic-offices"
  address_family = "IPv4"
  max_entries    = 5

  entry {
    cidr        = "198.51.100.0/24"
    description = "Head office"
  }

  entry {
    cidr        = "203.0.113.0/24"
    description = "Branch"
  }

  tags = { Name = "net-offices" }
}

# The region's default VPC, adopted, with one of its default subnets.
resource "aws_default_vpc" "this" {
  tags = { Name = "default" }
}

resource "aws_default_subnet" "a" {
  availability_zone = "${var.region}a"
  tags              = { Name = "default-a" }
}

# A second VPC whose main route table is replaced by Terraform's: the table AWS made with the
# VPC stays, recorded by the association as `original_route_table_id`.
resource "aws_vpc" "edge" {
  cidr_block = "10.50.0.0/16"
  tags       = { Name = "net-edge" }
}

resource "aws_route_table" "edge_main" {
  vpc_id = aws_vpc.edge.id
  tags   = { Name = "net-edge-main" }
}

resource "aws_main_route_table_association" "edge" {
  vpc_id         = aws_vpc.edge.id
  route_table_id = aws_route_table.edge_main.id
}
