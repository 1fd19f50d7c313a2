# ElastiCache.

resource "aws_elasticache_replication_group" "good" {
  replication_group_id       = "corpus-good"
  description                = "good"
  engine                     = "redis"
  node_type                  = "cache.t3.micro"
  num_cache_clusters         = 2
  at_rest_encryption_enabled = true
  kms_key_id                 = aws_kms_key.rotated.arn
  transit_encryption_enabled = true
  auth_token                 = "correct-horse-battery-staple-0123"
}

resource "aws_elasticache_replication_group" "bad" {
  replication_group_id = "corpus-bad"
  description          = "bad"
  engine               = "redis"
  node_type            = "cache.t3.micro"
  num_cache_clusters   = 2
}

resource "aws_elasticache_replication_group" "rbac" {
  replication_group_id       = "corpus-rbac"
  description                = "RBAC instead of an AUTH token"
  engine                     = "redis"
  node_type                  = "cache.t3.micro"
  num_cache_clusters         = 2
  at_rest_encryption_enabled = true
  transit_encryption_enabled = true
  user_group_ids             = ["corpus-users"]
}
