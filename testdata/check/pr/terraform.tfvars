env            = "prod"
retention_days = 35
buckets = {
  records = { kms = true }
  scratch = { kms = false }
}
