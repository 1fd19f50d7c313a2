# One database (the emulator serves one DB instance per server), as the community RDS
# module's examples extend it: a role associated for a feature (its role-association
# example) and its automated backups replicated to the replica region with a key there (its
# complete examples).

variable "db_password" {
  type      = string
  sensitive = true
}

resource "aws_db_subnet_group" "this" {
  name       = "reach"
  subnet_ids = aws_subnet.private[*].id
}

resource "aws_db_instance" "this" {
  identifier              = "reach-db"
  engine                  = "postgres"
  engine_version          = "16.3"
  instance_class          = "db.t3.micro"
  allocated_storage       = 20
  db_name                 = "reach"
  username                = "reach"
  password                = var.db_password
  db_subnet_group_name    = aws_db_subnet_group.this.name
  backup_retention_period = 7
  storage_encrypted       = true
  kms_key_id              = aws_kms_key.objects.arn
  skip_final_snapshot     = true
}

resource "aws_iam_role" "s3_import" {
  name = "reach-db-s3-import"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "rds.amazonaws.com" }
    }]
  })
}

resource "aws_db_instance_role_association" "this" {
  for_each = { s3Import = aws_iam_role.s3_import.arn }

  db_instance_identifier = aws_db_instance.this.identifier
  feature_name           = each.key
  role_arn               = each.value
}

resource "aws_kms_key" "backups" {
  provider = aws.replica

  description             = "reach: replicated automated backups"
  deletion_window_in_days = 7
}

resource "aws_db_instance_automated_backups_replication" "this" {
  count    = 1
  provider = aws.replica

  source_db_instance_arn = aws_db_instance.this.arn
  kms_key_id             = aws_kms_key.backups.arn
  retention_period       = 14
}
