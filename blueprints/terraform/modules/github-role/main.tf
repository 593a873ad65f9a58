# An IAM role that GitHub Actions workflows of one repository assume with OIDC (no stored keys).
# The trust policy accepts the repository's subjects in both forms GitHub issues:
# `repo:<org>/<repo>:...` and, for repositories with immutable subject claims,
# `repo:<org>@<org id>/<repo>@<repo id>:...`.

data "aws_iam_openid_connect_provider" "github" {
  arn = var.oidc_provider_arn
}

locals {
  organization = split("/", var.github_repository)[0]
  repository   = split("/", var.github_repository)[1]
  ecr_push     = length(var.ecr_repository_arns) > 0
}

module "role" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role"
  version = "[[ versions.modules.iam ]]"

  name                 = var.name
  use_name_prefix      = false
  description          = var.description
  max_session_duration = var.max_session_duration

  enable_github_oidc = true
  github_provider    = trimprefix(data.aws_iam_openid_connect_provider.github.url, "https://")
  oidc_audiences     = ["sts.amazonaws.com"]
  oidc_wildcard_subjects = flatten([
    for context in var.github_contexts : [
      "repo:${local.organization}/${local.repository}:${context}",
      "repo:${local.organization}@*/${local.repository}@*:${context}",
    ]
  ])

  policies = var.policies

  create_inline_policy = local.ecr_push
  inline_policy_permissions = local.ecr_push ? {
    ecr_login = {
      actions   = ["ecr:GetAuthorizationToken"]
      resources = ["*"]
    }
    ecr_push = {
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
    ecr_kms = {
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = compact([var.ecr_kms_key_arn])
    }
  } : null
}
