# A table the way the community module writes one: composite key, a global secondary index,
# TTL, point-in-time recovery, SSE with the data key, a stream, on-demand billing.
resource "aws_dynamodb_table" "records" {
  name                        = "data-records"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "patient_id"
  range_key                   = "recorded_at"
  deletion_protection_enabled = true
  stream_enabled              = true
  stream_view_type            = "NEW_AND_OLD_IMAGES"

  attribute {
    name = "patient_id"
    type = "S"
  }
  attribute {
    name = "recorded_at"
    type = "N"
  }
  attribute {
    name = "clinic_id"
    type = "S"
  }

  global_secondary_index {
    name               = "by-clinic"
    hash_key           = "clinic_id"
    range_key          = "recorded_at"
    projection_type    = "INCLUDE"
    non_key_attributes = ["kind"]
  }

  ttl {
    attribute_name = "expires_at"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.data.arn
  }

  tags = { Name = "data-records" }
}
