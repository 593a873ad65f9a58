# An IAM role that GitHub Actions workflows of one repository assume with OIDC (no stored keys).
# The trust policy accepts the repository's subjects in both forms GitHub issues:
# `repo:<org>/<repo>:...` and, for repositories with immutable subject claims,
# `repo:<org>@<org id>/<repo>@<repo id>:...`. The context after the repository is always exact
# (the variable refuses wildcards): a wildcard there would let any branch or environment in.

locals {
  organization = split("/", var.github_repository)[0]
  repository   = split("/", var.github_repository)[1]
  ecr_push     = length(var.ecr_repository_arns) > 0

  # Only for a role given ECR repositories (the build role).
  ecr_permissions = { for key, statement in {
    EcrLogin = {
      actions   = ["ecr:GetAuthorizationToken"]
      resources = ["*"]
    }
    EcrPush = {
      actions = [
        "ecr:BatchCheckLayerAvailability",
        "ecr:BatchGetImage",
        "ecr:CompleteLayerUpload",
        "ecr:DescribeImages",
        "ecr:DescribeRepositories",
        "ecr:GetDownloadUrlForLayer",
        "ecr:InitiateLayerUpload",
        "ecr:PutImage",
        "ecr:UploadLayerPart",
      ]
      resources = var.ecr_repository_arns
    }
    EcrKms = {
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = compact([var.ecr_kms_key_arn])
    }
  } : key => statement if local.ecr_push }

  inline_permissions = merge(local.ecr_permissions, var.inline_permissions)
}

module "role" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role"
  version = "[[ versions.modules.iam ]]"

  name                 = var.name
  use_name_prefix      = false
  description          = var.description
  max_session_duration = var.max_session_duration

  enable_github_oidc = true
  github_provider    = trimprefix(var.oidc_provider_url, "https://")
  oidc_audiences     = ["sts.amazonaws.com"]
  oidc_wildcard_subjects = flatten([
    for context in var.github_contexts : [
      "repo:${local.organization}/${local.repository}:${context}",
      "repo:${local.organization}@*/${local.repository}@*:${context}",
    ]
  ])

  policies = var.policies

  create_inline_policy      = length(local.inline_permissions) > 0
  inline_policy_permissions = length(local.inline_permissions) > 0 ? local.inline_permissions : null
}
