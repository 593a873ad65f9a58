# Kubernetes secrets and ConfigMap with the connection details of every AWS service.
# Included by every environment's `secrets` unit; inputs set in a unit win over these.
locals {
  # Evaluated for the including unit: get_terragrunt_dir() and find_in_parent_folders start from
  # its folder, so this is its environment's env.hcl.
  env    = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
  global = read_terragrunt_config(find_in_parent_folders("global.hcl")).locals
}

terraform {
  source = "${dirname(find_in_parent_folders("root.hcl"))}/modules//secrets"
}

[% include "terraform/_envcommon/_dependencies/eks.hcl" %]

[% include "terraform/_envcommon/_dependencies/kubernetes-addons.hcl" %]

dependency "mysql" {
  config_path = "${get_terragrunt_dir()}/../mysql"
  mock_outputs = {
    host     = "mysql.mock"
    port     = "3306"
    username = "root"
    password = "mock"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan", "init"]
}

dependency "redis" {
  config_path = "${get_terragrunt_dir()}/../redis"
  mock_outputs = {
    host        = "redis.mock"
    port        = "6379"
    auth_token  = "mock"
    tls_enabled = true
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan", "init"]
}
[% if answers.mongodb != "in_cluster" %]

dependency "mongodb" {
  config_path = "${get_terragrunt_dir()}/../mongodb"
  mock_outputs = {
    host         = "mongodb.mock"
    port         = "27017"
    username     = "admin"
    password     = "mock"
    auth_source  = "admin"
    use_ssl      = false
    replica_set  = ""
    retry_writes = true
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan", "init"]
}
[% endif %]

dependency "ses" {
  config_path = "${get_terragrunt_dir()}/../ses"
  mock_outputs = {
    smtp_host     = "email-smtp.mock"
    smtp_port     = "587"
    smtp_username = "mock"
    smtp_password = "mock"
    from_email    = "no-reply@mock"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan", "init"]
}

dependency "storage" {
  config_path = "${get_terragrunt_dir()}/../storage"
  mock_outputs = {
    bucket          = "mock"
    cdn_domain      = "cdn.mock"
    service_account = "openedx"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan", "init"]
}

inputs = {
  cluster_name                       = dependency.eks.outputs.cluster_name
  cluster_endpoint                   = dependency.eks.outputs.cluster_endpoint
  cluster_certificate_authority_data = dependency.eks.outputs.cluster_certificate_authority_data
  namespace                          = dependency.kubernetes_addons.outputs.namespace
  aws_region                         = local.global.aws_region
  hosts                              = local.env.hosts

  mysql = {
    host     = dependency.mysql.outputs.host
    port     = dependency.mysql.outputs.port
    username = dependency.mysql.outputs.username
    password = dependency.mysql.outputs.password
  }

  redis = {
    host        = dependency.redis.outputs.host
    port        = dependency.redis.outputs.port
    auth_token  = dependency.redis.outputs.auth_token
    tls_enabled = dependency.redis.outputs.tls_enabled
  }

[% if answers.mongodb != "in_cluster" %]
  mongodb_enabled = true
  mongodb = {
    host         = dependency.mongodb.outputs.host
    port         = dependency.mongodb.outputs.port
    username     = dependency.mongodb.outputs.username
    password     = dependency.mongodb.outputs.password
    auth_source  = dependency.mongodb.outputs.auth_source
    use_ssl      = dependency.mongodb.outputs.use_ssl
    replica_set  = dependency.mongodb.outputs.replica_set
    retry_writes = dependency.mongodb.outputs.retry_writes
  }
[% else %]
  # MongoDB runs in the cluster (Tutor's RUN_MONGODB): no `mongodb` secret.
  mongodb_enabled = false
[% endif %]

  smtp = {
    host       = dependency.ses.outputs.smtp_host
    port       = dependency.ses.outputs.smtp_port
    username   = dependency.ses.outputs.smtp_username
    password   = dependency.ses.outputs.smtp_password
    from_email = dependency.ses.outputs.from_email
  }

  s3 = {
    bucket         = dependency.storage.outputs.bucket
    cdn_domain     = dependency.storage.outputs.cdn_domain
    backups_bucket = local.env.backups_bucket
  }
  # The storage unit binds this service account to the media bucket's IAM role.
  service_account = dependency.storage.outputs.service_account
}
