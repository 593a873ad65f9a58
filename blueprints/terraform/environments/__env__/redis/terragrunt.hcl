# ElastiCache (Valkey), cluster mode off.
include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

terraform {
  source = "${dirname(find_in_parent_folders("root.hcl"))}/modules//redis"
}

[% include "terraform/environments/__env__/_dependencies/vpc.hcl" %]

[% include "terraform/environments/__env__/_dependencies/dns.hcl" %]

inputs = {
  name           = include.root.locals.env.resource_prefix
  node_type      = include.root.locals.env.redis_node_type
  replicas       = include.root.locals.env.is_production ? 1 : 0
  vpc_id         = dependency.vpc.outputs.vpc_id
  vpc_cidr_block = dependency.vpc.outputs.vpc_cidr_block
  subnet_ids     = dependency.vpc.outputs.database_subnets
  zone_id        = dependency.dns.outputs.zone_id
  host           = include.root.locals.env.hosts.redis
}
