# Amazon SES: the environment's domain as a sending identity, SMTP credentials.
# Included by every environment's `ses` unit; inputs set in a unit win over these.
locals {
  # Evaluated for the including unit: get_terragrunt_dir() and find_in_parent_folders start from
  # its folder, so this is its environment's env.hcl.
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
}

terraform {
  source = "${dirname(find_in_parent_folders("root.hcl"))}/modules//ses"
}

[% include "terraform/_envcommon/_dependencies/dns.hcl" %]

inputs = {
  name       = local.env.resource_prefix
  domain     = local.env.domain
  zone_id    = dependency.dns.outputs.zone_id
  from_email = local.env.email_from
}
