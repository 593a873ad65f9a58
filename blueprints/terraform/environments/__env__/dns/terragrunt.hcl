# This environment's `dns` unit: terraform/_envcommon/dns.hcl holds what every environment
# shares, ../env.hcl this environment's settings.
include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

include "envcommon" {
  path = "${dirname(find_in_parent_folders("root.hcl"))}/_envcommon/dns.hcl"
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

# Inputs of this environment only: each wins over the same input of the common file.
inputs = {
[% if env.dns_parent_env %]
  parent_zone_id = dependency.parent_dns.outputs.zone_id
[% endif %]
}
