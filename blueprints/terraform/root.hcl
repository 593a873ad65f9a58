# Terragrunt root: remote state and the AWS provider for every unit below.
locals {
  global      = read_terragrunt_config(find_in_parent_folders("global.hcl"))
  environment = read_terragrunt_config("${get_terragrunt_dir()}/../env.hcl")
  state_key   = "${local.environment.locals.environment}/${basename(get_terragrunt_dir())}"
}

remote_state {
  backend = "s3"
  config = {
    bucket       = "${local.global.locals.platform_name}-${local.global.locals.platform_region}-terraform-state-${local.global.locals.account_id}"
    key          = "${local.state_key}/terraform.tfstate"
    region       = local.global.locals.aws_region
    encrypt      = true
    use_lockfile = true
  }
  generate = {
    path      = "backend.tf"
    if_exists = "overwrite_terragrunt"
  }
}

generate "provider" {
  path      = "provider.tf"
  if_exists = "overwrite_terragrunt"
  contents  = <<-PROVIDER
    provider "aws" {
      region              = "${local.global.locals.aws_region}"
      allowed_account_ids = ["${local.global.locals.account_id}"]

      default_tags {
        tags = ${jsonencode(merge(local.global.locals.tags, local.environment.locals.tags))}
      }
    }
  PROVIDER
}
