# The role the deploy workflow assumes for one environment: it may describe the environment's EKS
# cluster (for `aws eks update-kubeconfig`) and is a cluster admin through an EKS access entry, so
# that `tutor k8s` can apply its manifests (including its Namespace) and read the secrets Terraform
# wrote. Only workflows of this repository can assume it (OIDC).

data "aws_iam_openid_connect_provider" "github" {
  arn = var.oidc_provider_arn
}

locals {
  organization = split("/", var.github_repository)[0]
  repository   = split("/", var.github_repository)[1]
}

module "role" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role"
  version = "[[ versions.modules.iam ]]"

  name            = var.name
  use_name_prefix = false
  description     = "GitHub Actions deploys Open edX to ${var.cluster_name}"

  enable_github_oidc = true
  github_provider    = trimprefix(data.aws_iam_openid_connect_provider.github.url, "https://")
  oidc_audiences     = ["sts.amazonaws.com"]
  # Only jobs that run in the GitHub environment of this name (where protection rules apply).
  oidc_wildcard_subjects = [
    "repo:${local.organization}/${local.repository}:environment:${var.github_environment}",
    "repo:${local.organization}@*/${local.repository}@*:environment:${var.github_environment}",
  ]

  create_inline_policy = true
  inline_policy_permissions = {
    eks = {
      actions   = ["eks:DescribeCluster"]
      resources = [var.cluster_arn]
    }
    ecr_read = {
      actions   = ["ecr:DescribeImages", "ecr:DescribeRepositories"]
      resources = var.ecr_repository_arns
    }
  }
}

resource "aws_eks_access_entry" "deploy" {
  cluster_name  = var.cluster_name
  principal_arn = module.role.arn
  type          = "STANDARD"
}

resource "aws_eks_access_policy_association" "deploy" {
  cluster_name  = var.cluster_name
  principal_arn = aws_eks_access_entry.deploy.principal_arn
  policy_arn    = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"

  access_scope {
    type = "cluster"
  }
}
