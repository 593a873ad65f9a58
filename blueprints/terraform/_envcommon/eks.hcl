# The EKS cluster, its managed node group of system nodes and EKS add-ons.
# Included by every environment's `eks` unit; inputs set in a unit win over these.
locals {
  # Evaluated for the including unit: get_terragrunt_dir() and find_in_parent_folders start from
  # its folder, so this is its environment's env.hcl.
  env    = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
  global = read_terragrunt_config(find_in_parent_folders("global.hcl")).locals
}

terraform {
  source = "${dirname(find_in_parent_folders("root.hcl"))}/modules//eks"
}

[% include "terraform/_envcommon/_dependencies/vpc.hcl" %]

dependency "github_infrastructure_role" {
  config_path = "${dirname(find_in_parent_folders("root.hcl"))}/shared/github-infrastructure-role"
  mock_outputs = {
    arn = "arn:aws:iam::000000000000:role/mock"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan", "init"]
}

dependency "github_plan_role" {
  config_path = "${dirname(find_in_parent_folders("root.hcl"))}/shared/github-plan-role"
  mock_outputs = {
    arn = "arn:aws:iam::000000000000:role/mock-plan"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan", "init"]
}

inputs = {
  name                    = local.env.resource_prefix
  kubernetes_version      = local.env.kubernetes_version
  vpc_id                  = dependency.vpc.outputs.vpc_id
  vpc_cidr_block          = dependency.vpc.outputs.vpc_cidr_block
  subnet_ids              = dependency.vpc.outputs.private_subnets
  instance_type           = local.env.eks_system_instance_type
  min_size                = local.env.eks_node_min_size
  max_size                = local.env.eks_node_max_size
  public_access_cidrs     = local.env.eks_public_access_cidrs
  admin_principal_arns    = local.global.eks_admin_principal_arns
  infrastructure_role_arn = dependency.github_infrastructure_role.outputs.arn
  plan_role_arn           = dependency.github_plan_role.outputs.arn
  log_retention_days      = local.env.eks_log_retention_days
}
