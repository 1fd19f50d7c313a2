resource "aws_kms_key" "phi" {
  description         = "PHI at rest"
  enable_key_rotation = true
  tags                = local.tags
}

# Violation: rotation omitted (provider default false).
resource "aws_kms_key" "legacy" {
  description = "legacy exports"
}

module "phi_bucket" {
  source   = "./modules/phi_bucket"
  for_each = var.buckets

  name        = "${local.prefix}-${each.key}"
  kms_key_arn = each.value.kms ? aws_kms_key.phi.arn : null
  log_bucket  = aws_s3_bucket.logs.id
  tags        = local.tags
}

# Violations: no SSE-KMS, no versioning, no public access block, no TLS-only policy, no
# access logging of its own.
resource "aws_s3_bucket" "logs" {
  bucket = "${local.prefix}-access-logs"
}

resource "aws_db_instance" "records" {
  identifier              = "${local.prefix}-records"
  engine                  = "postgres"
  instance_class          = "db.t3.micro"
  allocated_storage       = 20
  storage_encrypted       = true
  kms_key_id              = aws_kms_key.phi.arn
  backup_retention_period = var.retention_days
  deletion_protection     = local.protect
  multi_az                = true

  enabled_cloudwatch_logs_exports = ["postgresql", "upgrade"]
}

# Violations: unencrypted, 7-day backups, deletion protection omitted, single-AZ, no log
# exports.
resource "aws_db_instance" "reports" {
  identifier              = join("-", [local.prefix, "reports"])
  engine                  = "postgres"
  instance_class          = "db.t3.micro"
  allocated_storage       = 20
  storage_encrypted       = false
  backup_retention_period = 7
}

resource "aws_vpc" "main" {
  cidr_block = var.vpc_cidr
}

resource "aws_flow_log" "main" {
  vpc_id               = aws_vpc.main.id
  traffic_type         = "ALL"
  log_destination_type = "s3"
  log_destination      = "${aws_s3_bucket.logs.arn}/flow-logs/"
}

resource "aws_subnet" "app" {
  vpc_id     = aws_vpc.main.id
  cidr_block = local.app_subnet
}

# Violation: SSH and RDP open to the internet through a dynamic block.
resource "aws_security_group" "admin" {
  name   = "${local.prefix}-admin"
  vpc_id = aws_vpc.main.id

  dynamic "ingress" {
    for_each = local.admin_ports
    content {
      from_port   = tonumber(ingress.value)
      to_port     = tonumber(ingress.value)
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}

resource "aws_security_group" "internal" {
  name   = "${local.prefix}-internal"
  vpc_id = aws_vpc.main.id

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [var.admin_cidr]
  }
}

# The second volume (count.index 1) is a violation.
resource "aws_ebs_volume" "data" {
  count             = 2
  availability_zone = "us-east-1a"
  size              = 10
  encrypted         = count.index == 0
  kms_key_id        = count.index == 0 ? aws_kms_key.phi.arn : null
}
