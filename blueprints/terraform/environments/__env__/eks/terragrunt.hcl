# The EKS cluster, its managed node group and EKS add-ons.
include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

terraform {
  source = "${dirname(find_in_parent_folders("root.hcl"))}/modules//eks"
}

[% include "terraform/environments/__env__/_dependencies/vpc.hcl" %]

dependency "github_infrastructure_role" {
  config_path = "../../../shared/github-infrastructure-role"
  mock_outputs = {
    arn = "arn:aws:iam::000000000000:role/mock"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan", "init"]
}

inputs = {
  name                    = include.root.locals.env.resource_prefix
  kubernetes_version      = include.root.locals.env.kubernetes_version
  vpc_id                  = dependency.vpc.outputs.vpc_id
  vpc_cidr_block          = dependency.vpc.outputs.vpc_cidr_block
  subnet_ids              = dependency.vpc.outputs.private_subnets
  instance_type           = include.root.locals.env.eks_instance_type
  min_size                = include.root.locals.env.eks_node_min_size
  max_size                = include.root.locals.env.eks_node_max_size
  public_access_cidrs     = include.root.locals.env.eks_public_access_cidrs
  admin_principal_arns    = include.root.locals.global.eks_admin_principal_arns
  infrastructure_role_arn = dependency.github_infrastructure_role.outputs.arn
}
