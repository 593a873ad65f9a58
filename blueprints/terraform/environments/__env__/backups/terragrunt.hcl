# Daily MySQL and MongoDB dumps to the backups bucket (Kubernetes CronJobs).
include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

terraform {
  source = "${dirname(find_in_parent_folders("root.hcl"))}/modules//backups"
}

dependency "eks" {
  config_path = "../eks"
  mock_outputs = {
    cluster_name                       = "mock"
    cluster_arn                        = "arn:aws:eks:us-east-1:000000000000:cluster/mock"
    cluster_endpoint                   = "https://mock.eks.amazonaws.com"
    cluster_certificate_authority_data = "bW9jaw=="
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan", "init"]
}

dependency "kubernetes_addons" {
  config_path = "../kubernetes-addons"
  mock_outputs = {
    namespace = "openedx"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan", "init"]
}

inputs = {
  name                               = include.root.locals.env.resource_prefix
  bucket_name                        = "${include.root.locals.env.resource_prefix}-backups"
  retention_days                     = include.root.locals.env.backup_retention_days
  schedule                           = include.root.locals.env.backup_schedule
  cluster_name                       = dependency.eks.outputs.cluster_name
  cluster_endpoint                   = dependency.eks.outputs.cluster_endpoint
  cluster_certificate_authority_data = dependency.eks.outputs.cluster_certificate_authority_data
  namespace                          = dependency.kubernetes_addons.outputs.namespace
  mongodb_mode                       = "[[ answers.mongodb ]]"
}
