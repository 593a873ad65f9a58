# The environment's CI runner: a CodeBuild project in the VPC's private subnets that runs the
# environment's deploy jobs and its infrastructure plans and applies (they reach the private EKS
# API from there). Included by every environment's `ci-runner` unit; inputs set in a unit win over
# these.
locals {
  # Evaluated for the including unit: get_terragrunt_dir() and find_in_parent_folders start from
  # its folder, so this is its environment's env.hcl.
  env    = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
  global = read_terragrunt_config(find_in_parent_folders("global.hcl")).locals
}

terraform {
  source = "${dirname(find_in_parent_folders("root.hcl"))}/modules//ci-runner"
}

[% include "terraform/_envcommon/_dependencies/vpc.hcl" %]

dependency "github_connection" {
  config_path = "${dirname(find_in_parent_folders("root.hcl"))}/shared/github-connection"
  mock_outputs = {
    arn = "arn:aws:codeconnections:us-east-1:000000000000:connection/00000000-0000-0000-0000-000000000000"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan", "init"]
}

inputs = {
  # The workflows' `runs-on` names this project: `codebuild-<name>-<run id>-<run attempt>`.
  name              = "${local.env.resource_prefix}-ci-runner"
  github_repository = "${local.global.github_organization}/${local.global.github_repository}"
  # The `name:` of .github/workflows/deploy-<environment>.yml and infrastructure.yml.
  workflow_names = ["deploy ${local.env.name}", "infrastructure"]
  connection_arn = dependency.github_connection.outputs.arn
  vpc_id         = dependency.vpc.outputs.vpc_id
  subnet_ids     = dependency.vpc.outputs.private_subnets
  # CodeBuild's newest curated Ubuntu image (Ubuntu 24.04), which the Python builds of
  # actions/setup-python cover.
  image = "aws/codebuild/standard:8.0"
}
