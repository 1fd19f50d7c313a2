# RDS: an Aurora PostgreSQL cluster with its own cluster and instance parameter groups (TLS
# forced, statement logging), two instances, and a MySQL option group, as the community RDS
# modules lay them out.

variable "db_password" {
  description = "Master password; tests pass a dummy and assert it never appears in Plumb output"
  type        = string
  sensitive   = true
}

resource "aws_rds_cluster_parameter_group" "analytics" {
  name        = "storage-analytics-cluster"
  family      = "aurora-postgresql15"
  description = "Analytics cluster parameters"

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  parameter {
    name         = "log_min_duration_statement"
    value        = "500"
    apply_method = "immediate"
  }

  tags = { Name = "storage-analytics-cluster" }
}

resource "aws_db_parameter_group" "analytics" {
  name_prefix = "storage-analytics-"
  family      = "aurora-postgresql15"
  description = "Analytics instance parameters"

  parameter {
    name  = "log_connections"
    value = "1"
  }

  parameter {
    name         = "shared_preload_libraries"
    value        = "pg_stat_statements"
    apply_method = "pending-reboot"
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_rds_cluster" "analytics" {
  cluster_identifier              = "storage-analytics"
  engine                          = "aurora-postgresql"
  engine_version                  = "15.4"
  database_name                   = "analytics"
  master_username                 = "clinic"
  master_password                 = var.db_password
  db_cluster_parameter_group_name = aws_rds_cluster_parameter_group.analytics.name
  backup_retention_period         = 35
  deletion_protection             = false
  storage_encrypted               = true
  kms_key_id                      = aws_kms_key.storage.arn
  enabled_cloudwatch_logs_exports = ["postgresql"]
  skip_final_snapshot             = true
  tags                            = { Name = "storage-analytics" }
}

resource "aws_rds_cluster_instance" "analytics" {
  count                   = 2
  identifier              = "storage-analytics-${count.index}"
  cluster_identifier      = aws_rds_cluster.analytics.id
  engine                  = aws_rds_cluster.analytics.engine
  engine_version          = aws_rds_cluster.analytics.engine_version
  instance_class          = "db.r6g.large"
  availability_zone       = ["us-east-1a", "us-east-1b"][count.index]
  db_parameter_group_name = aws_db_parameter_group.analytics.name
  publicly_accessible     = false
  promotion_tier          = count.index
  tags                    = { Name = "storage-analytics-${count.index}" }
}

resource "aws_db_option_group" "audit" {
  name                     = "storage-mysql-audit"
  option_group_description = "MariaDB audit plugin for MySQL 8.0"
  engine_name              = "mysql"
  major_engine_version     = "8.0"

  option {
    option_name = "MARIADB_AUDIT_PLUGIN"

    option_settings {
      name  = "SERVER_AUDIT_EVENTS"
      value = "CONNECT,QUERY_DDL"
    }
  }

  tags = { Name = "storage-mysql-audit" }
}
