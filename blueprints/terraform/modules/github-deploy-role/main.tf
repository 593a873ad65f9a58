# The role the deploy workflow assumes for one environment: it may describe the environment's EKS
# cluster (for `aws eks update-kubeconfig`) and, through an EKS access entry, administer the Open
# edX namespace only (Tutor's manifests, its jobs and the secrets Terraform wrote there are all
# namespaced) and read the rest of the cluster (`tutor k8s start` first gets the Namespace, which
# Terraform created, and creates it only when that fails). Only jobs of this repository in the
# environment's GitHub environment can assume it (OIDC).
#
# It also keeps the one AWS copy of the values Tutor generated at the first deploy (SECRET_KEY, JWT
# keys, OAuth client secrets: the Kubernetes secret `tutor-generated`), so that a rebuilt cluster
# keeps sessions, tokens and OAuth clients: scripts/tutor-deploy.sh writes the Secrets Manager
# secret below after Tutor generated or changed a value and restores from it when the cluster
# secret is missing. Terraform creates the secret without a value: no value is in the state.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  account_id   = data.aws_caller_identity.current.account_id
  partition    = data.aws_partition.current.partition
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
    # Read, describe and write the copy of tutor-generated; no create, delete or policy change.
    TutorGeneratedSecret = {
      actions   = ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"]
      resources = [aws_secretsmanager_secret.tutor_generated.arn]
    }
    # Its key, only through Secrets Manager (GetSecretValue decrypts, PutSecretValue makes a data key).
    TutorGeneratedKms = {
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = [aws_kms_key.tutor_generated.arn]
      condition = [{
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["secretsmanager.${data.aws_region.current.region}.amazonaws.com"]
      }]
    }
  }
}

locals {
  # The secret's ARN ends in a random 6-character suffix that Secrets Manager adds; the key policy
  # cannot name the secret itself (the secret names the key), so it matches the name.
  tutor_generated_arn_pattern = "arn:${local.partition}:secretsmanager:${data.aws_region.current.region}:${local.account_id}:secret:${var.tutor_generated_secret_name}-??????"
}

# A key of its own, so that no IAM policy with kms:Decrypt on "*" reads the secret by another path:
# the key is used only through Secrets Manager and only for this secret. Within that, IAM decides
# who (the AWS default key policy pattern, account root as principal): the deploy role's policy
# above grants exactly its use, and an admin whose IAM policy allows kms:Decrypt can restore by
# hand. The key policy names no role itself: a path-less IAM Identity Center role ARN, right for
# an EKS access entry, names no principal here and the policy would be refused. Administrators of
# the key can change its policy (kms:PutKeyPolicy) and so could grant themselves any use: that is
# the account's break-glass, logged in CloudTrail; they get no grants (kms:CreateGrant) besides.
resource "aws_kms_key" "tutor_generated" {
  description             = "Encrypts the Secrets Manager copy of tutor-generated of ${var.cluster_name}"
  enable_key_rotation     = true
  deletion_window_in_days = 30

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministersKey"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.partition}:iam::${local.account_id}:root" }
        Action = [
          "kms:CancelKeyDeletion",
          "kms:CreateAlias",
          "kms:Delete*",
          "kms:Describe*",
          "kms:Disable*",
          "kms:Enable*",
          "kms:Get*",
          "kms:List*",
          "kms:Put*",
          "kms:Revoke*",
          "kms:RotateKeyOnDemand",
          "kms:ScheduleKeyDeletion",
          "kms:TagResource",
          "kms:UntagResource",
          "kms:Update*",
        ]
        Resource = "*"
      },
      {
        Sid       = "AccountUsesThroughSecretsManager"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.partition}:iam::${local.account_id}:root" }
        Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
        Resource  = "*"
        Condition = {
          StringEquals = {
            "kms:ViaService"    = "secretsmanager.${data.aws_region.current.region}.amazonaws.com"
            "kms:CallerAccount" = local.account_id
          }
          StringLike = { "kms:EncryptionContext:SecretARN" = local.tutor_generated_arn_pattern }
        }
      },
    ]
  })
}

resource "aws_kms_alias" "tutor_generated" {
  name          = "alias/${replace(var.tutor_generated_secret_name, "/", "-")}"
  target_key_id = aws_kms_key.tutor_generated.key_id
}

resource "aws_secretsmanager_secret" "tutor_generated" {
  #checkov:skip=CKV2_AWS_57:Tutor generated these values (Django SECRET_KEY, JWT keys, OAuth clients); rotating them logs everyone out and breaks OAuth clients, so it is a deliberate deploy with --regenerate-secrets, not a rotation Lambda.
  name        = var.tutor_generated_secret_name
  description = "Copy of the Kubernetes secret tutor-generated of ${var.cluster_name} (scripts/tutor-deploy.sh writes it)"
  kms_key_id  = aws_kms_key.tutor_generated.arn
  # A deleted secret stays recoverable for 30 days (aws secretsmanager restore-secret).
  recovery_window_in_days = 30
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
  policy_arn    = "arn:${local.partition}:eks::aws:cluster-access-policy/AmazonEKSAdminPolicy"

  access_scope {
    type       = "namespace"
    namespaces = var.namespaces
  }
}

# Read-only elsewhere (no Secrets): Tutor gets the Namespace object before it applies.
resource "aws_eks_access_policy_association" "cluster_view" {
  cluster_name  = var.cluster_name
  principal_arn = aws_eks_access_entry.deploy.principal_arn
  policy_arn    = "arn:${local.partition}:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"

  access_scope {
    type = "cluster"
  }
}
