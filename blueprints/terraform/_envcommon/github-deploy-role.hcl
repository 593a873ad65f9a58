# The role the deploy workflow assumes for this environment (EKS access entry), and the Secrets
# Manager copy of the Kubernetes secret tutor-generated with its KMS key.
# Included by every environment's `github-deploy-role` unit; inputs set in a unit win over these.
locals {
  # Evaluated for the including unit: get_terragrunt_dir() and find_in_parent_folders start from
  # its folder, so this is its environment's env.hcl.
  env    = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
  global = read_terragrunt_config(find_in_parent_folders("global.hcl")).locals
}

terraform {
  source = "${dirname(find_in_parent_folders("root.hcl"))}/modules//github-deploy-role"
}

[% include "terraform/_envcommon/_dependencies/eks.hcl" %]

dependency "github_oidc" {
  config_path = "${dirname(find_in_parent_folders("root.hcl"))}/shared/github-oidc"
  mock_outputs = {
    url = "https://token.actions.githubusercontent.com"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan", "init"]
}

dependency "ecr" {
  config_path = "${dirname(find_in_parent_folders("root.hcl"))}/shared/ecr"
  mock_outputs = {
    repository_arns = ["arn:aws:ecr:us-east-1:000000000000:repository/mock"]
    kms_key_arn     = "arn:aws:kms:us-east-1:000000000000:key/00000000-0000-0000-0000-000000000000"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan", "init"]
}

inputs = {
  github_environment  = local.env.name
  name                = "${local.env.resource_prefix}-github-deploy"
  oidc_provider_url   = dependency.github_oidc.outputs.url
  github_repository   = "${local.global.github_organization}/${local.global.github_repository}"
  cluster_name        = dependency.eks.outputs.cluster_name
  cluster_arn         = dependency.eks.outputs.cluster_arn
  ecr_repository_arns = dependency.ecr.outputs.repository_arns
  ecr_kms_key_arn     = dependency.ecr.outputs.kms_key_arn
  namespaces          = [local.env.namespace]
  # Production keeps the images it runs from expiring (modules/ecr).
  mark_deployed_images = local.env.is_production
  # scripts/tutor-deploy.sh reads and writes this name.
  tutor_generated_secret_name = "${local.env.resource_prefix}/tutor-generated"
}
