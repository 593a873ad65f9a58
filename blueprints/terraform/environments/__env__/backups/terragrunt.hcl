# Daily MySQL and MongoDB dumps to the backups bucket (Kubernetes CronJobs).
include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

terraform {
  source = "${dirname(find_in_parent_folders("root.hcl"))}/modules//backups"
}

[% include "terraform/environments/__env__/_dependencies/eks.hcl" %]

[% include "terraform/environments/__env__/_dependencies/kubernetes-addons.hcl" %]

inputs = {
  name                               = include.root.locals.env.resource_prefix
  bucket_name                        = include.root.locals.env.backups_bucket
  retention_days                     = include.root.locals.env.backup_retention_days
  schedule                           = include.root.locals.env.backup_schedule
  cluster_name                       = dependency.eks.outputs.cluster_name
  cluster_endpoint                   = dependency.eks.outputs.cluster_endpoint
  cluster_certificate_authority_data = dependency.eks.outputs.cluster_certificate_authority_data
  namespace                          = dependency.kubernetes_addons.outputs.namespace
  mongodb_mode                       = "[[ answers.mongodb ]]"
}
