# Amazon SES: the environment's domain as a sending identity, SMTP credentials.
include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

terraform {
  source = "${dirname(find_in_parent_folders("root.hcl"))}/modules//ses"
}

dependency "dns" {
  config_path = "../dns"
  mock_outputs = {
    zone_id = "Z00000000000000000000"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan", "init"]
}

inputs = {
  name    = include.root.locals.env.resource_prefix
  domain  = include.root.locals.env.domain
  zone_id = dependency.dns.outputs.zone_id
}
