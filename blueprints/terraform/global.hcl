# Settings shared by every environment and by the account-wide units in shared/.
# Generated from .openedx-devops/answers.yml; edit the answers and run `openedx-devops update`,
# or edit here (your edits are kept by the update's merge).
locals {
  platform_name        = "[[ answers.platform_name ]]"
  platform_description = [[ answers.platform_description | tojson ]]
  platform_region      = "[[ answers.platform_region ]]"
  root_domain          = "[[ answers.root_domain ]]"
  aws_region           = "[[ answers.aws_region ]]"
  aws_account_id       = "[[ answers.aws_account_id ]]"
  github_organization  = "[[ answers.github_organization ]]"
  github_repository    = "[[ answers.github_repository ]]"

  # Availability zones of every environment's VPC (three where the region has them). Zone names map
  # to different zones in each account and some regions skip letters: check
  # `aws ec2 describe-availability-zones` before the first apply.
[% set zone_letters = {"ap-northeast-1": ["a", "c", "d"], "ca-central-1": ["a", "b", "d"], "us-west-1": ["b", "c"]} %]
[% set letters = zone_letters[answers.aws_region] if answers.aws_region in zone_letters else ["a", "b", "c"] %]
  availability_zones = [for letter in ["[[ letters | join('", "') ]]"] : "${local.aws_region}${letter}"]

  # Stem of the names of account-wide resources: ECR repositories, GitHub roles, state bucket.
  shared_prefix = "${local.platform_name}-${local.platform_region}"
  state_bucket  = "${local.shared_prefix}-tfstate-${local.aws_account_id}"

  # IAM users or roles (ARNs, without a path for SSO roles) that are cluster admins in every
  # environment's EKS cluster. Add yours before the first apply: the Kubernetes units need it.
  eks_admin_principal_arns = []

  tags = {
    Platform   = "[[ answers.platform_name ]]"
    Region     = "[[ answers.platform_region ]]"
    Repository = "[[ answers.github_organization ]]/[[ answers.github_repository ]]"
    ManagedBy  = "terragrunt"
  }
}
