# Daily MySQL and MongoDB dumps to the backups bucket (Kubernetes CronJobs).
# Included by every environment's `backups` unit; inputs set in a unit win over these.
locals {
  # Evaluated for the including unit: get_terragrunt_dir() and find_in_parent_folders start from
  # its folder, so this is its environment's env.hcl.
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
}

terraform {
  source = "${dirname(find_in_parent_folders("root.hcl"))}/modules//backups"
}

[% include "terraform/_envcommon/_dependencies/eks.hcl" %]

[% include "terraform/_envcommon/_dependencies/kubernetes-addons.hcl" %]
[% if answers.mongodb == "ec2" %]

# The dump runs as MongoDB's `backup` user (built-in backup role), not as Open edX's user (which
# may only read and write its own databases) nor as root.
dependency "mongodb" {
  config_path = "${get_terragrunt_dir()}/../mongodb"
  mock_outputs = {
    host            = "mongodb.mock"
    port            = "27017"
    backup_username = "backup"
    backup_password = "mock"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan", "init"]
}
[% endif %]

inputs = {
  name                               = local.env.resource_prefix
  bucket_name                        = local.env.backups_bucket
  retention_days                     = local.env.backup_retention_days
  schedule                           = local.env.backup_schedule
  cluster_name                       = dependency.eks.outputs.cluster_name
  cluster_endpoint                   = dependency.eks.outputs.cluster_endpoint
  cluster_certificate_authority_data = dependency.eks.outputs.cluster_certificate_authority_data
  namespace                          = dependency.kubernetes_addons.outputs.namespace
  mongodb_mode                       = "[[ answers.mongodb ]]"
[% if answers.mongodb == "ec2" %]
  mongodb_backup = {
    host     = dependency.mongodb.outputs.host
    port     = dependency.mongodb.outputs.port
    username = dependency.mongodb.outputs.backup_username
    password = dependency.mongodb.outputs.backup_password
  }
[% endif %]
}
