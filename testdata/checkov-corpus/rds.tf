# RDS: a hardened instance, a default-everything instance, and an Aurora cluster.

resource "aws_kms_key" "rds" {
  description         = "RDS ePHI"
  enable_key_rotation = true
}

resource "aws_db_instance" "good" {
  identifier                      = "corpus-good"
  engine                          = "postgres"
  engine_version                  = "16.3"
  instance_class                  = "db.t3.micro"
  allocated_storage               = 20
  storage_encrypted               = true
  kms_key_id                      = aws_kms_key.rds.arn
  multi_az                        = true
  backup_retention_period         = 35
  deletion_protection             = true
  publicly_accessible             = false
  enabled_cloudwatch_logs_exports = ["postgresql", "upgrade"]
  auto_minor_version_upgrade      = true
  monitoring_interval             = 60
  iam_database_authentication_enabled = true
  copy_tags_to_snapshot           = true
  performance_insights_enabled    = true
  performance_insights_kms_key_id = aws_kms_key.rds.arn
}

resource "aws_db_instance" "bad" {
  identifier          = "corpus-bad"
  engine              = "mysql"
  instance_class      = "db.t3.micro"
  allocated_storage   = 20
  publicly_accessible = true
}

resource "aws_db_instance" "short_backups" {
  identifier              = "corpus-short-backups"
  engine                  = "postgres"
  instance_class          = "db.t3.micro"
  allocated_storage       = 20
  storage_encrypted       = true
  backup_retention_period = 7
}

resource "aws_rds_cluster" "good" {
  cluster_identifier              = "corpus-aurora-good"
  engine                          = "aurora-postgresql"
  storage_encrypted               = true
  kms_key_id                      = aws_kms_key.rds.arn
  backup_retention_period         = 35
  deletion_protection             = true
  enabled_cloudwatch_logs_exports = ["postgresql"]
}

resource "aws_rds_cluster" "bad" {
  cluster_identifier = "corpus-aurora-bad"
  engine             = "aurora-mysql"
}
