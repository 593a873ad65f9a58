# The environment's hosted zone, delegated from [[ env.dns_parent_zone ]].
include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

terraform {
  source = "${dirname(find_in_parent_folders("root.hcl"))}/modules//dns-zone"
}
[% if env.dns_parent_env %]

# The parent zone belongs to the `[[ env.dns_parent_env ]]` environment: the delegation goes there.
dependency "parent_dns" {
  config_path = "../../[[ env.dns_parent_env ]]/dns"
  mock_outputs = {
    zone_id = "Z00000000000000000000"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan", "init"]
}
[% endif %]

inputs = {
  domain           = include.root.locals.env.domain
  parent_zone_name = include.root.locals.env.dns_parent_zone
[% if env.dns_parent_env %]
  parent_zone_id   = dependency.parent_dns.outputs.zone_id
[% endif %]
}
