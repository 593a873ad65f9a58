# The EKS cluster: private API endpoint, access entries (no aws-auth ConfigMap), secrets encrypted
# with a KMS key, control plane logs, one small on-demand managed node group for the system pods
# (Karpenter's controller, CoreDNS, the EKS add-ons; Karpenter adds the nodes of everything else),
# and the EKS add-ons the platform needs (VPC CNI, CoreDNS, kube-proxy, Pod Identity agent, EBS
# CSI driver).

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  cluster_admin_policy = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
  # Reads every object, Secrets included (a plan refreshes Helm releases and Kubernetes secrets).
  cluster_read_policy = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy"

  admins = merge(
    { for arn in var.admin_principal_arns : arn => arn },
    { infrastructure = var.infrastructure_role_arn },
  )

  access_entries = merge(
    {
      for key, arn in local.admins : key => {
        principal_arn = arn
        policy_associations = {
          admin = {
            policy_arn   = local.cluster_admin_policy
            access_scope = { type = "cluster" }
          }
        }
      }
    },
    {
      plan = {
        principal_arn = var.plan_role_arn
        policy_associations = {
          read = {
            policy_arn   = local.cluster_read_policy
            access_scope = { type = "cluster" }
          }
        }
      }
    },
  )
}

module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "[[ versions.modules.eks ]]"

  name               = var.name
  kubernetes_version = var.kubernetes_version

  vpc_id     = var.vpc_id
  subnet_ids = var.subnet_ids

  endpoint_private_access      = true
  endpoint_public_access       = length(var.public_access_cidrs) > 0
  endpoint_public_access_cidrs = var.public_access_cidrs

  # Access entries only; nobody is an admin just for having created the cluster.
  authentication_mode                      = "API"
  enable_cluster_creator_admin_permissions = false
  access_entries                           = local.access_entries

  # Standard support only: past it, EKS upgrades the control plane instead of billing extended
  # support (which the API defaults to).
  upgrade_policy = {
    support_type = "STANDARD"
  }

  # The secrets key's administrators are fixed: by default the module names whoever applies, so
  # they would change with each person or role running terraform. The account root keeps access.
  kms_key_administrators = [
    var.infrastructure_role_arn,
    "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root",
  ]

  enabled_log_types                      = ["api", "audit", "authenticator", "controllerManager", "scheduler"]
  cloudwatch_log_group_retention_in_days = var.log_retention_days

  security_group_additional_rules = {
    api_from_vpc = {
      description = "Kubernetes API from the VPC (bastion, self-hosted runners)"
      type        = "ingress"
      protocol    = "tcp"
      from_port   = 443
      to_port     = 443
      cidr_blocks = [var.vpc_cidr_block]
    }
  }

  # The module's node rules admit node to node only DNS and TCP 1025-65535, and from the control
  # plane only 443, 4443, 6443, 8443, 9443, 10250 and 10251 (eks node_groups.tf). Pods reach each
  # other on their node's security group, so Traefik -> Caddy:80 across nodes needs all traffic
  # between nodes; and the API server calls the VPA admission webhook on its pod's port 8000.
  # (cert-manager's webhook, metrics-server and the prometheus-operator webhook listen on 10250.)
  node_security_group_additional_rules = {
    ingress_self_all = {
      description = "Node to node, all traffic (pod to pod on any port)"
      type        = "ingress"
      protocol    = "-1"
      from_port   = 0
      to_port     = 0
      self        = true
    }
    ingress_cluster_vpa_webhook = {
      description                   = "Cluster API to the VPA admission webhook"
      type                          = "ingress"
      protocol                      = "tcp"
      from_port                     = 8000
      to_port                       = 8000
      source_cluster_security_group = true
    }
  }

  # Karpenter launches its nodes into the security group carrying this tag (the EC2NodeClass's
  # securityGroupSelectorTerms), so they get the rules above too.
  node_security_group_tags = {
    "karpenter.sh/discovery" = var.name
  }

  addons = {
    vpc-cni = {
      before_compute = true
    }
    eks-pod-identity-agent = {
      before_compute = true
    }
    # The system nodes' taint is tolerated explicitly, whatever the add-on version's defaults:
    # CoreDNS must run before Karpenter has added any node.
    coredns = {
      configuration_values = jsonencode({
        tolerations = [{ key = "CriticalAddonsOnly", operator = "Exists" }]
      })
    }
    # DaemonSets (vpc-cni, kube-proxy, the Pod Identity agent, the EBS CSI node) tolerate every
    # taint, and the EBS CSI controller tolerates CriticalAddonsOnly (chart values.yaml).
    kube-proxy = {}
    aws-ebs-csi-driver = {
      pod_identity_association = [{
        role_arn        = module.ebs_csi_role.arn
        service_account = "ebs-csi-controller-sa"
      }]
    }
  }

  # The system nodes. Their taint keeps every pod that does not tolerate CriticalAddonsOnly
  # (Traefik, cert-manager, monitoring, Open edX) off them, on the nodes Karpenter adds.
  eks_managed_node_groups = {
    default = {
      instance_types = [var.instance_type]
      capacity_type  = "ON_DEMAND"
      ami_type       = "AL2023_x86_64_STANDARD"
      min_size       = var.min_size
      max_size       = var.max_size
      desired_size   = var.min_size

      block_device_mappings = {
        root = {
          device_name = "/dev/xvda"
          ebs = {
            volume_size           = 50
            volume_type           = "gp3"
            encrypted             = true
            delete_on_termination = true
          }
        }
      }

      iam_role_additional_policies = {
        ecr_pull_through = aws_iam_policy.ecr_pull_through.arn
      }

      labels = {
        # Karpenter's own pods select these nodes (its nodeSelector), never nodes it manages.
        "karpenter.sh/controller" = "true"
      }

      taints = {
        critical_addons_only = {
          key    = "CriticalAddonsOnly"
          value  = "true"
          effect = "NO_SCHEDULE"
        }
      }
    }
  }
}

# A node's first pull of a public.ecr.aws image through the registry's pull-through cache
# (`<registry>/ecr-public/...`, shared/ecr) creates the cache repository and imports the image.
resource "aws_iam_policy" "ecr_pull_through" {
  name        = "${var.name}-ecr-pull-through"
  description = "Nodes of ${var.name} pull public.ecr.aws images through the ECR pull-through cache"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"]
      Resource = "arn:${data.aws_partition.current.partition}:ecr:*:${data.aws_caller_identity.current.account_id}:repository/ecr-public/*"
    }]
  })
}

# The EBS CSI driver's controller gets its AWS permissions through EKS Pod Identity.
module "ebs_csi_role" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role"
  version = "[[ versions.modules.iam ]]"

  name            = "${var.name}-ebs-csi"
  use_name_prefix = false
  description     = "EBS CSI driver of the ${var.name} EKS cluster"

[% include "terraform/modules/_partials/pod-identity-trust.tf" %]

  policies = {
    ebs_csi = "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"
  }
}
