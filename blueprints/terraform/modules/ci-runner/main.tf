# The environment's CI runner: an AWS CodeBuild project that GitHub Actions uses as an ephemeral
# self-hosted runner inside the environment's VPC, where the private EKS API is reachable (the
# cluster's security group admits 443 from the VPC's range; no database admits this runner's
# group). GitHub queues a job whose `runs-on` is `codebuild-<name>-<run id>-<run attempt>`; the
# webhook starts a build, the build registers a one-job runner through the account's GitHub
# connection (shared/github-connection), runs the job and is gone. Nothing runs between jobs, so
# there is nothing to patch and no idle cost. The jobs still get their AWS credentials from
# GitHub OIDC (the deploy, plan and infrastructure roles, and the GitHub environments' reviewers
# in front of them): the service role below may only do what CodeBuild itself needs.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.region
  log_group  = "/aws/codebuild/${var.name}"
  vpc_arn    = "arn:${local.partition}:ec2:${local.region}:${local.account_id}:vpc/${var.vpc_id}"
  subnet_arns = [
    for subnet in var.subnet_ids : "arn:${local.partition}:ec2:${local.region}:${local.account_id}:subnet/${subnet}"
  ]
}

# Encrypts the build logs (the runner prints what each job prints) and whatever CodeBuild keeps of
# a build; CloudWatch Logs may use it for this project's log group only.
resource "aws_kms_key" "runner" {
  description             = "CI runner ${var.name}: build logs"
  enable_key_rotation     = true
  deletion_window_in_days = 30

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministers"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.partition}:iam::${local.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "CloudWatchLogsOfTheRunner"
        Effect    = "Allow"
        Principal = { Service = "logs.${local.region}.amazonaws.com" }
        Action    = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
        Resource  = "*"
        Condition = {
          ArnEquals = {
            "kms:EncryptionContext:aws:logs:arn" = "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:${local.log_group}"
          }
        }
      },
    ]
  })
}

resource "aws_kms_alias" "runner" {
  name          = "alias/${var.name}"
  target_key_id = aws_kms_key.runner.key_id
}

resource "aws_cloudwatch_log_group" "runner" {
  name              = local.log_group
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.runner.arn
}

# Outbound HTTPS only: GitHub, the AWS APIs, the package registries and the EKS API (inside the
# VPC). No inbound rule: the runner calls out, nothing calls it.
resource "aws_security_group" "runner" {
  # A prefix, not a name: a replacement group is created before the old one goes.
  name_prefix = "${var.name}-"
  description = "CI runner ${var.name} (CodeBuild): outbound HTTPS only"
  vpc_id      = var.vpc_id

  tags = {
    Name = var.name
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_egress_rule" "https" {
  security_group_id = aws_security_group.runner.id
  description       = "HTTPS: GitHub, AWS APIs, package registries, the EKS API"
  cidr_ipv4         = "0.0.0.0/0"
  from_port         = 443
  to_port           = 443
  ip_protocol       = "tcp"

  tags = {
    Name = "${var.name}-https"
  }
}

# What CodeBuild does with the role: write this project's logs, create and remove the build's
# network interface in the VPC (the permissions CodeBuild documents for VPC builds), use the
# GitHub connection and the project's key. Nothing else: the jobs' own credentials come from OIDC.
module "role" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role"
  version = "[[ versions.modules.iam ]]"

  name            = var.name
  use_name_prefix = false
  description     = "CodeBuild service role of the CI runner ${var.name}"

  trust_policy_permissions = {
    CodeBuild = {
      actions = ["sts:AssumeRole"]
      principals = [{
        type        = "Service"
        identifiers = ["codebuild.amazonaws.com"]
      }]
      # Only this account's CodeBuild project of that name (no confused deputy).
      condition = [
        {
          test     = "StringEquals"
          variable = "aws:SourceAccount"
          values   = [local.account_id]
        },
        {
          test     = "ArnLike"
          variable = "aws:SourceArn"
          values   = ["arn:${local.partition}:codebuild:${local.region}:${local.account_id}:project/${var.name}"]
        },
      ]
    }
  }

  create_inline_policy = true
  inline_policy_permissions = {
    Logs = {
      actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      resources = ["${aws_cloudwatch_log_group.runner.arn}:*"]
    }
    # Describe* cannot be scoped to resources (EC2 authorizes them on "*" only).
    VpcDescribe = {
      actions = [
        "ec2:DescribeDhcpOptions",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeSubnets",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeVpcs",
      ]
      resources = ["*"]
    }
    # The build's network interface, in this environment's VPC only: the interface, the subnet and
    # the security group it is created with must all be in it (ec2:Vpc applies to each).
    VpcNetworkInterfaceLifecycle = {
      actions = ["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface"]
      resources = [
        "arn:${local.partition}:ec2:${local.region}:${local.account_id}:network-interface/*",
        "arn:${local.partition}:ec2:${local.region}:${local.account_id}:subnet/*",
        "arn:${local.partition}:ec2:${local.region}:${local.account_id}:security-group/*",
      ]
      condition = [{
        test     = "ArnEquals"
        variable = "ec2:Vpc"
        values   = [local.vpc_arn]
      }]
    }
    VpcNetworkInterface = {
      actions   = ["ec2:CreateNetworkInterfacePermission"]
      resources = ["arn:${local.partition}:ec2:${local.region}:${local.account_id}:network-interface/*"]
      condition = [
        {
          test     = "StringEquals"
          variable = "ec2:Subnet"
          values   = local.subnet_arns
        },
        {
          test     = "StringEquals"
          variable = "ec2:AuthorizedService"
          values   = ["codebuild.amazonaws.com"]
        },
      ]
    }
    GitHubConnection = {
      actions   = ["codeconnections:GetConnectionToken", "codeconnections:GetConnection"]
      resources = [var.connection_arn]
    }
    Key = {
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = [aws_kms_key.runner.arn]
    }
  }
}

resource "aws_codebuild_project" "runner" {
  name           = var.name
  description    = "GitHub Actions runner of ${var.github_repository} inside the VPC of ${var.vpc_id}"
  service_role   = module.role.arn
  encryption_key = aws_kms_key.runner.arn
  # Minutes; above the longest job's timeout-minutes (an apply: 240), GitHub's own limit governs.
  build_timeout = var.build_timeout_minutes

  artifacts {
    type = "NO_ARTIFACTS"
  }

  environment {
    # 4 vCPUs, 7 GB: a `terragrunt run --all` runs several Terraform processes at once.
    compute_type                = var.compute_type
    image                       = var.image
    type                        = "LINUX_CONTAINER"
    image_pull_credentials_type = "CODEBUILD"
    # No Docker daemon: no job builds images here (the build workflow runs on GitHub's runners).
    privileged_mode = false
  }

  source {
    type     = "GITHUB"
    location = "https://github.com/${var.github_repository}.git"

    auth {
      type     = "CODECONNECTIONS"
      resource = var.connection_arn
    }
  }

  logs_config {
    cloudwatch_logs {
      status     = "ENABLED"
      group_name = aws_cloudwatch_log_group.runner.name
    }

    s3_logs {
      status = "DISABLED"
    }
  }

  vpc_config {
    vpc_id             = var.vpc_id
    subnets            = var.subnet_ids
    security_group_ids = [aws_security_group.runner.id]
  }

  # The role's policy must exist before CodeBuild checks the VPC settings with it.
  depends_on = [module.role]
}

# Starts a build for each queued job of this repository's workflows that names this project in
# its `runs-on` (CodeBuild ignores the others) and belongs to one of `workflow_names`.
resource "aws_codebuild_webhook" "runner" {
  project_name = aws_codebuild_project.runner.name
  build_type   = "BUILD"

  filter_group {
    filter {
      type    = "EVENT"
      pattern = "WORKFLOW_JOB_QUEUED"
    }

    filter {
      type    = "WORKFLOW_NAME"
      pattern = "^(${join("|", var.workflow_names)})$"
    }
  }

  # A pull request from a fork runs nothing here until someone who may push to the repository
  # approves it with a comment `/codebuild_run(<commit>)` (such pull requests get no OIDC token
  # either).
  pull_request_build_policy {
    requires_comment_approval = "FORK_PULL_REQUESTS"
    approver_roles            = ["GITHUB_WRITE", "GITHUB_MAINTAIN", "GITHUB_ADMIN"]
  }
}
