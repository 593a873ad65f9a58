# Karpenter: the AWS side (controller role through EKS Pod Identity, node role, interruption
# queue) from the eks module's karpenter submodule, the controller chart, and the NodePool and
# EC2NodeClass (chart/) that let it add spot nodes.

locals {
  node_role_name = "${var.cluster_name}-karpenter-node"
}

module "karpenter" {
  source  = "terraform-aws-modules/eks/aws//modules/karpenter"
  version = "[[ versions.modules.eks ]]"

  cluster_name = var.cluster_name
  namespace    = "kube-system"

  create_pod_identity_association = true

  # The EC2NodeClass names this role.
  node_iam_role_name            = local.node_role_name
  node_iam_role_use_name_prefix = false
  node_iam_role_additional_policies = {
    ssm              = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
    ecr_pull_through = var.ecr_pull_through_policy_arn
  }
}

# Public ECR serves the Karpenter chart; an authenticated pull avoids anonymous rate limits.
data "aws_ecrpublic_authorization_token" "token" {
  region = "us-east-1"
}

resource "helm_release" "karpenter" {
  name                = "karpenter"
  namespace           = "kube-system"
  repository          = "oci://public.ecr.aws/karpenter"
  repository_username = data.aws_ecrpublic_authorization_token.token.user_name
  repository_password = data.aws_ecrpublic_authorization_token.token.password
  chart               = "karpenter"
  version             = "[[ versions.charts.karpenter ]]"
  wait                = true

  values = [yamlencode({
    nodeSelector = {
      "karpenter.sh/controller" = "true"
    }
    dnsPolicy = "Default"
    settings = {
      clusterName       = var.cluster_name
      clusterEndpoint   = var.cluster_endpoint
      interruptionQueue = module.karpenter.queue_name
    }
  })]

  # The controller's AWS credentials come from its Pod Identity association (and the role and
  # queue it names): they must exist before its pods start, and outlive them on destroy.
  depends_on = [module.karpenter]
}

resource "helm_release" "nodepools" {
  name      = "karpenter-nodepools"
  namespace = "kube-system"
  chart     = "${path.module}/chart"

  set = [
    {
      name  = "clusterName"
      value = var.cluster_name
    },
    {
      name  = "nodeRoleName"
      value = module.karpenter.node_iam_role_name
    },
    {
      name  = "cpuLimit"
      value = tostring(var.cpu_limit)
    },
  ]

  depends_on = [helm_release.karpenter]
}
