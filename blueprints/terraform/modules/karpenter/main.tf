# Karpenter: the AWS side (controller role through EKS Pod Identity, node role, interruption
# queue) from the eks module's karpenter submodule, the CRD and controller charts, and the
# NodePool and EC2NodeClass (chart/) of the application nodes: every pod that does not tolerate
# the system nodes' CriticalAddonsOnly taint (modules/eks) runs on nodes Karpenter adds and
# removes.

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

# Karpenter's CRDs as their own release (upstream's upgrade guide, "CRD Upgrades"): Helm installs
# a chart's crds/ folder once and never upgrades it, while this chart's templates are upgraded
# with every version bump. Same version as the controller: the CRDs are coupled to it.
resource "helm_release" "karpenter_crd" {
  name                = "karpenter-crd"
  namespace           = "kube-system"
  repository          = "oci://public.ecr.aws/karpenter"
  repository_username = data.aws_ecrpublic_authorization_token.token.user_name
  repository_password = data.aws_ecrpublic_authorization_token.token.password
  chart               = "karpenter-crd"
  version             = "[[ versions.charts.karpenter ]]"

  # Clusters made before this release have the CRDs from the karpenter chart's crds/, without
  # Helm's ownership labels, which Helm refuses ("invalid ownership metadata"): adopt them.
  take_ownership = true

  # Destroying or renaming this release must not delete the CRDs: that would delete every
  # NodePool and NodeClaim, and with them the application nodes.
  values = [yamlencode({
    additionalAnnotations = {
      "helm.sh/resource-policy" = "keep"
    }
  })]
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

  # The CRDs come from helm_release.karpenter_crd, which upgrades them.
  skip_crds = true

  # The chart's defaults keep the controller off the nodes it manages (node affinity
  # karpenter.sh/nodepool DoesNotExist), tolerate CriticalAddonsOnly and put each replica on its
  # own node (required anti-affinity on the hostname) spread over zones: on the system nodes,
  # which carry this label, as many replicas as there are system nodes.
  values = [yamlencode({
    replicas = var.replicas
    nodeSelector = {
      "karpenter.sh/controller" = "true"
    }
    # The sizing of Karpenter's getting-started guide; a system node (t3.medium) holds one
    # replica next to CoreDNS, the EBS CSI controller and the DaemonSets.
    controller = {
      resources = {
        requests = { cpu = "1", memory = "1Gi" }
        limits   = { cpu = "1", memory = "1Gi" }
      }
    }
    # The VPC resolver, not CoreDNS: Karpenter must work while the cluster's DNS has no node.
    dnsPolicy = "Default"
    settings = {
      clusterName       = var.cluster_name
      clusterEndpoint   = var.cluster_endpoint
      interruptionQueue = module.karpenter.queue_name
    }
  })]

  # The controller's AWS credentials come from its Pod Identity association (and the role and
  # queue it names): they must exist before its pods start, and outlive them on destroy. Its
  # CRDs are upgraded before it.
  depends_on = [module.karpenter, helm_release.karpenter_crd]
}

resource "helm_release" "nodepools" {
  name      = "karpenter-nodepools"
  namespace = "kube-system"
  chart     = "${path.module}/chart"

  values = [yamlencode({
    clusterName      = var.cluster_name
    nodeRoleName     = module.karpenter.node_iam_role_name
    cpuLimit         = tostring(var.cpu_limit)
    capacityTypes    = var.capacity_types
    instanceSizes    = var.instance_sizes
    instanceMemoryGt = tostring(var.min_instance_memory_mib - 1) # Gt is strict: nodes of exactly that memory too
    disruptionBudget = var.disruption_budget
  })]

  depends_on = [helm_release.karpenter]
}
