# One customer-managed key for the data stores (queues, topic, table, secret, cache, images).
data "aws_caller_identity" "current" {}

resource "aws_kms_key" "data" {
  description             = "clinic data stores"
  deletion_window_in_days = 7
  enable_key_rotation     = true
  tags                    = { Name = "data" }
}

resource "aws_kms_alias" "data" {
  name          = "alias/clinic-data"
  target_key_id = aws_kms_key.data.key_id
}
