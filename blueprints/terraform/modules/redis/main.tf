# ElastiCache for Valkey [[ versions.services.valkey ]] (Redis-compatible), cluster mode off, in the
# database subnets. It holds Django sessions (pickled) and the Celery broker, so: TLS in transit,
# an AUTH token, encryption at rest, and only the EKS nodes and the bastion may connect.
#
# AUTH token rather than an RBAC user group: Open edX connects as one client with one password
# (Tutor's REDIS_PASSWORD, `rediss://:<token>@host:6379`), which is exactly what AUTH gives; a
# user group would add a user, a group and a default user to manage for no second client.

resource "random_password" "auth_token" {
  # ElastiCache AUTH tokens are 16 to 128 printable characters, with only `!&#$^<>-` allowed
  # besides letters and digits: letters and digits only also keep the token safe in a URL.
  length  = 64
  special = false
}

locals {
  # Who may connect: the EKS nodes (Open edX, Celery) and the bastion when there is one.
  clients = {
    for name, id in { nodes = var.node_security_group_id, bastion = var.bastion_security_group_id } :
    name => id if id != null
  }
}

module "redis" {
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

  # A cache created without TLS by an earlier version must go through transit encryption mode
  # "preferred" first (one apply with it, clients moved to TLS, then "required"): AWS refuses
  # the jump. On a token change, ROTATE keeps the old token valid beside the new one until the
  # clients have it.
  at_rest_encryption_enabled = true
  transit_encryption_enabled = true
  transit_encryption_mode    = "required"
  auth_token                 = random_password.auth_token.result
  auth_token_update_strategy = "ROTATE"

  maintenance_window       = "sun:05:00-sun:06:00"
  snapshot_window          = "03:00-04:00"
  snapshot_retention_limit = 7
  apply_immediately        = false

  vpc_id = var.vpc_id
  # By security group only: the VPC's range also holds the public subnets.
  security_group_rules = {
    for name, id in local.clients : "ingress_${name}" => {
      description                  = "Valkey from the ${name}"
      referenced_security_group_id = id
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
