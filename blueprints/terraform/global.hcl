# Settings shared by every environment. Generated from .openedx-devops/answers.yml.
locals {
  platform_name        = "[[ answers.platform_name ]]"
  platform_description = [[ answers.platform_description | tojson ]]
  platform_region      = "[[ answers.platform_region ]]"
  root_domain          = "[[ answers.root_domain ]]"
  aws_region           = "[[ answers.aws_region ]]"
  account_id           = "[[ answers.aws_account_id ]]"
  github_repository    = "[[ answers.github_organization ]]/[[ answers.github_repository ]]"

  tags = {
    Platform  = "[[ answers.platform_name ]]"
    Region    = "[[ answers.platform_region ]]"
    ManagedBy = "terragrunt"
  }
}
