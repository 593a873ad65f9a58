# The environment's VPC: private, public and database subnets in three zones, NAT.
# Included by every environment's `vpc` unit; inputs set in a unit win over these.
locals {
  # Evaluated for the including unit: get_terragrunt_dir() and find_in_parent_folders start from
  # its folder, so this is its environment's env.hcl.
  env    = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
  global = read_terragrunt_config(find_in_parent_folders("global.hcl")).locals
}

terraform {
  source = "${dirname(find_in_parent_folders("root.hcl"))}/modules//vpc"
}

inputs = {
  name                    = local.env.resource_prefix
  cidr                    = local.env.vpc_cidr
  azs                     = local.global.availability_zones
  single_nat_gateway      = local.env.single_nat_gateway
  flow_log_retention_days = local.env.flow_log_retention_days
  cluster_name            = local.env.resource_prefix
}
