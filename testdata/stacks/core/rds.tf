# RDS: one subnet group, ONE DB instance (moto gives every instance the same DbiResourceId, so a
# second aws_db_instance on the same emulator fails) and one Aurora cluster.

variable "db_password" {
  description = "Master password; tests pass a dummy and assert it never appears in Plumb output"
  type        = string
  sensitive   = true
}

resource "aws_db_subnet_group" "main" {
  name       = "clinic-db"
  subnet_ids = [aws_subnet.a.id, aws_subnet.b.id]
  tags       = { Name = "clinic-db" }
}

resource "aws_db_instance" "records" {
  identifier              = "clinic-records"
  engine                  = "postgres"
  engine_version          = "16.3"
  instance_class          = "db.t3.micro"
  allocated_storage       = 20
  db_name                 = "records"
  username                = "clinic"
  password                = var.db_password
  db_subnet_group_name    = aws_db_subnet_group.main.name
  vpc_security_group_ids  = [aws_security_group.db.id]
  backup_retention_period = 35
  deletion_protection     = true
  storage_encrypted       = true
  kms_key_id              = aws_kms_key.phi.arn
  skip_final_snapshot     = true
  tags                    = { Name = "clinic-records", DataClass = "phi" }
}

resource "aws_rds_cluster" "analytics" {
  cluster_identifier      = "clinic-analytics"
  engine                  = "aurora-postgresql"
  engine_version          = "15.4"
  database_name           = "analytics"
  master_username         = "clinic"
  master_password         = var.db_password
  db_subnet_group_name    = aws_db_subnet_group.main.name
  vpc_security_group_ids  = [aws_security_group.db.id]
  backup_retention_period = 14
  deletion_protection     = true
  storage_encrypted       = true
  kms_key_id              = aws_kms_key.phi.arn
  skip_final_snapshot     = true
  tags                    = { Name = "clinic-analytics", DataClass = "phi" }
}
