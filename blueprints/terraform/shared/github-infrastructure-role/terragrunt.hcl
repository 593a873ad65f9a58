# Account-wide: the role the infrastructure workflow assumes for terragrunt plan and apply.
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
    arn = "arn:aws:iam::000000000000:oidc-provider/token.actions.githubusercontent.com"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan", "init"]
}

inputs = {
  name              = "${include.root.locals.global.shared_prefix}-github-infrastructure"
  description       = "GitHub Actions runs terragrunt plan and apply"
  oidc_provider_arn = dependency.github_oidc.outputs.arn
  github_repository = "${include.root.locals.global.github_organization}/${include.root.locals.global.github_repository}"
  # Plans of pull requests, and plan or apply in a stack's GitHub environment (protected ones
  # wait for their reviewers).
  github_contexts = ["pull_request", "environment:*"]
  # Terragrunt creates and changes every kind of resource in this repository.
  policies = {
    admin = "arn:aws:iam::aws:policy/AdministratorAccess"
  }
  max_session_duration = 7200
}
