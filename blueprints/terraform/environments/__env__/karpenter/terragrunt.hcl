# Karpenter: spot nodes for the cluster.
include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

terraform {
  source = "${dirname(find_in_parent_folders("root.hcl"))}/modules//karpenter"
}

[% include "terraform/environments/__env__/_dependencies/eks.hcl" %]

inputs = {
  cluster_name                       = dependency.eks.outputs.cluster_name
  cluster_endpoint                   = dependency.eks.outputs.cluster_endpoint
  cluster_certificate_authority_data = dependency.eks.outputs.cluster_certificate_authority_data
  cpu_limit                          = include.root.locals.env.karpenter_cpu_limit
}
