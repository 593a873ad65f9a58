# Karpenter: the application nodes of the cluster (spot and/or on-demand, env.hcl).
# Included by every environment's `karpenter` unit; inputs set in a unit win over these.
locals {
  # Evaluated for the including unit: get_terragrunt_dir() and find_in_parent_folders start from
  # its folder, so this is its environment's env.hcl.
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
}

terraform {
  source = "${dirname(find_in_parent_folders("root.hcl"))}/modules//karpenter"
}

[% include "terraform/_envcommon/_dependencies/eks.hcl" %]

inputs = {
  cluster_name                       = dependency.eks.outputs.cluster_name
  cluster_endpoint                   = dependency.eks.outputs.cluster_endpoint
  cluster_certificate_authority_data = dependency.eks.outputs.cluster_certificate_authority_data
  ecr_pull_through_policy_arn        = dependency.eks.outputs.ecr_pull_through_policy_arn
  capacity_types                     = local.env.karpenter_capacity_types
  instance_sizes                     = local.env.karpenter_instance_sizes
  cpu_limit                          = local.env.karpenter_cpu_limit
  min_instance_memory_mib            = local.env.karpenter_min_instance_memory_mib
  disruption_budget                  = local.env.karpenter_disruption_budget
  replicas                           = local.env.karpenter_replicas
}
