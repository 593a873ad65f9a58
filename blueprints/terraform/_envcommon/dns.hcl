# The environment's hosted zone, delegated from its parent zone (`dns_parent_zone` in env.hcl).
# Included by every environment's `dns` unit; inputs set in a unit win over these.
locals {
  # Evaluated for the including unit: get_terragrunt_dir() and find_in_parent_folders start from
  # its folder, so this is its environment's env.hcl.
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
}

terraform {
  source = "${dirname(find_in_parent_folders("root.hcl"))}/modules//dns-zone"
}

inputs = {
  domain           = local.env.domain
  parent_zone_name = local.env.dns_parent_zone
}
