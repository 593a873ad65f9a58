# Terragrunt root: every unit includes this file with
#   include "root" { path = find_in_parent_folders("root.hcl") expose = true }
# It configures the remote state (one S3 bucket for the whole account, S3-native locking) and
# generates the AWS provider. Global settings are in global.hcl, an environment's in its env.hcl.
locals {
  global = read_terragrunt_config(find_in_parent_folders("global.hcl")).locals
  # Units under terraform/shared/ belong to no environment and have no env.hcl.
  env = try(read_terragrunt_config(find_in_parent_folders("env.hcl")).locals, null)

  tags = merge(
    local.global.tags,
    local.env == null ? {} : { Environment = local.env.name },
  )
}

remote_state {
  backend = "s3"
  generate = {
    path      = "backend.tf"
    if_exists = "overwrite_terragrunt"
  }
  config = {
    bucket       = local.global.state_bucket
    key          = "${path_relative_to_include()}/terraform.tfstate"
    region       = local.global.aws_region
    encrypt      = true
    use_lockfile = true

    # `terragrunt backend bootstrap` creates the bucket versioned, encrypted, TLS-only and with
    # public access blocked; these tags go on it.
    s3_bucket_tags = local.global.tags
  }
}

generate "provider" {
  path      = "provider.tf"
  if_exists = "overwrite_terragrunt"
  contents  = <<-PROVIDER
    provider "aws" {
      region              = "${local.global.aws_region}"
      allowed_account_ids = ["${local.global.aws_account_id}"]

      default_tags {
        tags = ${jsonencode(local.tags)}
      }
    }
  PROVIDER
}
