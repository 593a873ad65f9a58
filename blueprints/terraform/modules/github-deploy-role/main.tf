# The role the deploy workflow assumes for one environment: it may describe the environment's EKS
# cluster (for `aws eks update-kubeconfig`) and, through an EKS access entry, administer the Open
# edX namespace only (Tutor's manifests, its jobs and the secrets Terraform wrote there are all
# namespaced) and read the rest of the cluster (`tutor k8s start` first gets the Namespace, which
# Terraform created, and creates it only when that fails). Only jobs of this repository in the
# environment's GitHub environment can assume it (OIDC).

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
  # As long as the deploy job may run (its timeout); the workflow asks for this duration.
  max_session_duration = var.max_session_duration

  enable_github_oidc = true
  github_provider    = trimprefix(var.oidc_provider_url, "https://")
  oidc_audiences     = ["sts.amazonaws.com"]
  # Only jobs that run in the GitHub environment of this name (where protection rules apply).
  oidc_wildcard_subjects = [
    "repo:${local.organization}/${local.repository}:environment:${var.github_environment}",
    "repo:${local.organization}@*/${local.repository}@*:environment:${var.github_environment}",
  ]

  create_inline_policy = true
  inline_policy_permissions = {
    EksDescribeCluster = {
      actions   = ["eks:DescribeCluster"]
      resources = [var.cluster_arn]
    }
    EcrRead = {
      actions   = ["ecr:DescribeImages", "ecr:DescribeRepositories"]
      resources = var.ecr_repository_arns
    }
    # Production's deploy adds a `deployed-<environment>-<tag>` tag to the images it runs, which
    # the lifecycle policy never expires: it reads a manifest and puts it under the new tag (the
    # repositories' tags are immutable, so no existing tag can be moved).
    EcrMark = {
      actions   = var.mark_deployed_images ? ["ecr:BatchGetImage", "ecr:PutImage"] : ["ecr:BatchGetImage"]
      resources = var.ecr_repository_arns
    }
    # The repositories' KMS key, as for the build role's push.
    EcrKms = {
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = [var.ecr_kms_key_arn]
    }
  }
}

resource "aws_eks_access_entry" "deploy" {
  cluster_name  = var.cluster_name
  principal_arn = module.role.arn
  type          = "STANDARD"
}

# Admin of the Open edX namespace, nothing else.
resource "aws_eks_access_policy_association" "namespace_admin" {
  cluster_name  = var.cluster_name
  principal_arn = aws_eks_access_entry.deploy.principal_arn
  policy_arn    = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminPolicy"

  access_scope {
    type       = "namespace"
    namespaces = var.namespaces
  }
}

# Read-only elsewhere (no Secrets): Tutor gets the Namespace object before it applies.
resource "aws_eks_access_policy_association" "cluster_view" {
  cluster_name  = var.cluster_name
  principal_arn = aws_eks_access_entry.deploy.principal_arn
  policy_arn    = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"

  access_scope {
    type = "cluster"
  }
}
