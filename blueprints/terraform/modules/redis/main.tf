# ElastiCache for Valkey [[ versions.services.valkey ]] (Redis-compatible), cluster mode off, in the
# database subnets. Tutor speaks `redis://` without TLS and without AUTH (ElastiCache allows AUTH
# only with TLS), so the security group, which admits only the VPC, is the access control.

module "redis" {
  #checkov:skip=CKV_AWS_30:Tutor connects with redis:// (no TLS); the security group admits only the VPC.
  #checkov:skip=CKV_AWS_31:ElastiCache accepts an AUTH token only together with TLS, which Tutor does not speak.
  source  = "terraform-aws-modules/elasticache/aws"
  version = "[[ versions.modules.elasticache ]]"

  replication_group_id = var.name
  description          = "Open edX cache and Celery broker of ${var.name}"

  engine         = "valkey"
  engine_version = "[[ versions.services.valkey ]]"
  node_type      = var.node_type
  port           = 6379

  cluster_mode_enabled       = false
  cluster_mode               = "disabled"
  num_cache_clusters         = 1 + var.replicas
  automatic_failover_enabled = var.replicas > 0
  multi_az_enabled           = var.replicas > 0

  at_rest_encryption_enabled = true
  transit_encryption_enabled = false

  maintenance_window       = "sun:05:00-sun:06:00"
  snapshot_window          = "03:00-04:00"
  snapshot_retention_limit = 7
  apply_immediately        = false

  vpc_id = var.vpc_id
  security_group_rules = {
    ingress_vpc = {
      description = "Valkey from the VPC (nodes, bastion)"
      cidr_ipv4   = var.vpc_cidr_block
    }
  }

  subnet_group_name = var.name
  subnet_ids        = var.subnet_ids

  create_parameter_group = true
  parameter_group_name   = "${var.name}-valkey"
  parameter_group_family = "valkey[[ versions.services.valkey | split(".") | first ]]"
}

resource "aws_route53_record" "redis" {
  zone_id = var.zone_id
  name    = var.host
  type    = "CNAME"
  ttl     = 300
  records = [module.redis.replication_group_primary_endpoint_address]
}
