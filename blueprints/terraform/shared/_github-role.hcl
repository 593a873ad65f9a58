[# What every GitHub role unit of the shared stack begins with: the root include, the github-role
   module and the OIDC provider it trusts; one place to change. #]
include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

terraform {
  source = "${dirname(find_in_parent_folders("root.hcl"))}/modules//github-role"
}

dependency "github_oidc" {
  config_path = "../github-oidc"
  mock_outputs = {
    url = "https://token.actions.githubusercontent.com"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan", "init"]
}
