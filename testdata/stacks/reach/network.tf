# The VPC layer as the community VPC module lays it out (`for_each` customer gateways, a VPN
# gateway on the VPC with route propagation per private route table, splats), plus a second
# VPC whose VPN gateway is attached by an `aws_vpn_gateway_attachment` (the module's
# `vpn_gateway_id` case).

locals {
  name = "reach"
  azs  = ["us-east-1a", "us-east-1b"]
  customer_gateways = {
    IP1 = { bgp_asn = 65112, ip_address = "1.2.3.4", device_name = "branch-router" }
    IP2 = { bgp_asn = 65112, ip_address = "5.6.7.8" }
  }
}

resource "aws_vpc" "this" {
  cidr_block           = "10.20.0.0/16"
  enable_dns_hostnames = true
  tags                 = { Name = local.name }
}

resource "aws_subnet" "private" {
  count             = length(local.azs)
  vpc_id            = aws_vpc.this.id
  cidr_block        = cidrsubnet(aws_vpc.this.cidr_block, 8, count.index)
  availability_zone = local.azs[count.index]
  tags              = { Name = "${local.name}-private-${local.azs[count.index]}" }
}

resource "aws_route_table" "private" {
  count  = length(local.azs)
  vpc_id = aws_vpc.this.id
  tags   = { Name = "${local.name}-private-${local.azs[count.index]}" }
}

resource "aws_route_table_association" "private" {
  count          = length(local.azs)
  subnet_id      = element(aws_subnet.private[*].id, count.index)
  route_table_id = element(aws_route_table.private[*].id, count.index)
}

resource "aws_customer_gateway" "this" {
  for_each = local.customer_gateways

  bgp_asn     = lookup(each.value, "bgp_asn", null)
  ip_address  = each.value["ip_address"]
  device_name = lookup(each.value, "device_name", null)
  type        = "ipsec.1"

  tags = { Name = "${local.name}-${each.key}" }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpn_gateway" "this" {
  count = 1

  vpc_id          = aws_vpc.this.id
  amazon_side_asn = "64620"

  tags = { Name = local.name }
}

resource "aws_vpn_gateway_route_propagation" "private" {
  count = length(local.azs)

  route_table_id = element(aws_route_table.private[*].id, count.index)
  vpn_gateway_id = aws_vpn_gateway.this[0].id
}

# A VPN gateway made elsewhere, attached to this stack's second VPC.
resource "aws_vpc" "edge" {
  cidr_block = "10.21.0.0/16"
  tags       = { Name = "${local.name}-edge" }
}

resource "aws_vpn_gateway" "shared" {
  tags = { Name = "${local.name}-shared" }

  # The attachment below sets the gateway's VPC after the gateway is created; the state
  # learns it at the next refresh (the test refreshes once after apply).
}

resource "aws_vpn_gateway_attachment" "this" {
  count = 1

  vpc_id         = aws_vpc.edge.id
  vpn_gateway_id = aws_vpn_gateway.shared.id
}
