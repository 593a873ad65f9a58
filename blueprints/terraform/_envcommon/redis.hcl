# ElastiCache (Valkey), cluster mode off.
# Included by every environment's `redis` unit; inputs set in a unit win over these.
locals {
  # Evaluated for the including unit: get_terragrunt_dir() and find_in_parent_folders start from
  # its folder, so this is its environment's env.hcl.
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
}

terraform {
  source = "${dirname(find_in_parent_folders("root.hcl"))}/modules//redis"
}

[% include "terraform/_envcommon/_dependencies/vpc.hcl" %]

[% include "terraform/_envcommon/_dependencies/dns.hcl" %]

[% include "terraform/_envcommon/_dependencies/eks.hcl" %]
[% if answers.bastion %]

[% include "terraform/_envcommon/_dependencies/bastion.hcl" %]
[% endif %]

inputs = {
  name       = local.env.resource_prefix
  node_type  = local.env.redis_node_type
  replicas   = local.env.is_production ? 1 : 0
  vpc_id     = dependency.vpc.outputs.vpc_id
  subnet_ids = dependency.vpc.outputs.database_subnets
  zone_id    = dependency.dns.outputs.zone_id
  host       = local.env.hosts.redis

[% include "terraform/_envcommon/_partials/client-security-groups.hcl" %]
}
