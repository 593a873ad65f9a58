# The role the deploy workflow assumes for this environment (EKS access entry).
include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

terraform {
  source = "${dirname(find_in_parent_folders("root.hcl"))}/modules//github-deploy-role"
}

[% include "terraform/environments/__env__/_dependencies/eks.hcl" %]

dependency "github_oidc" {
  config_path = "../../../shared/github-oidc"
  mock_outputs = {
    arn = "arn:aws:iam::000000000000:oidc-provider/token.actions.githubusercontent.com"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan", "init"]
}

dependency "ecr" {
  config_path = "../../../shared/ecr"
  mock_outputs = {
    repository_arns = ["arn:aws:ecr:us-east-1:000000000000:repository/mock"]
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan", "init"]
}

inputs = {
  github_environment  = include.root.locals.env.name
  name                = "${include.root.locals.env.resource_prefix}-github-deploy"
  oidc_provider_arn   = dependency.github_oidc.outputs.arn
  github_repository   = "${include.root.locals.global.github_organization}/${include.root.locals.global.github_repository}"
  cluster_name        = dependency.eks.outputs.cluster_name
  cluster_arn         = dependency.eks.outputs.cluster_arn
  ecr_repository_arns = dependency.ecr.outputs.repository_arns
}
