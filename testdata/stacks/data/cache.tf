# ElastiCache the way the community module lays it out: a subnet group over the private
# subnets, a Redis replication group (two nodes, failover, encrypted at rest with the data key
# and in transit, AUTH token from a sensitive variable), and a Memcached cluster.
variable "cache_auth_token" {
  description = "AUTH token of the session cache (sensitive; the tests pass a dummy value)"
  type        = string
  sensitive   = true
}

resource "aws_elasticache_subnet_group" "cache" {
  name        = "data-cache"
  description = "private subnets"
  subnet_ids  = aws_subnet.private[*].id
}

resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id       = "data-sessions"
  description                = "session cache"
  engine                     = "redis"
  engine_version             = "7.1"
  node_type                  = "cache.t4g.small"
  num_cache_clusters         = 2
  port                       = 6379
  automatic_failover_enabled = true
  multi_az_enabled           = true
  subnet_group_name          = aws_elasticache_subnet_group.cache.name
  security_group_ids         = [aws_security_group.cache.id]
  at_rest_encryption_enabled = true
  kms_key_id                 = aws_kms_key.data.arn
  transit_encryption_enabled = true
  auth_token                 = var.cache_auth_token
  snapshot_retention_limit   = 7
  snapshot_window            = "03:00-05:00"
  maintenance_window         = "sun:05:00-sun:07:00"
  apply_immediately          = true
  tags                       = { Name = "data-sessions" }
}

resource "aws_elasticache_cluster" "memcached" {
  cluster_id         = "data-lookup"
  engine             = "memcached"
  node_type          = "cache.t4g.micro"
  num_cache_nodes    = 2
  az_mode            = "cross-az"
  port               = 11211
  subnet_group_name  = aws_elasticache_subnet_group.cache.name
  security_group_ids = [aws_security_group.cache.id]
  maintenance_window = "sun:07:00-sun:08:00"
  tags               = { Name = "data-lookup" }
}
