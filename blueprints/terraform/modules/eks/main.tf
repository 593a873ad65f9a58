# The EKS cluster: private API endpoint, access entries (no aws-auth ConfigMap), secrets encrypted
# with a KMS key, control plane logs, one on-demand managed node group, and the EKS add-ons the
# platform needs (VPC CNI, CoreDNS, kube-proxy, Pod Identity agent, EBS CSI driver).

locals {
  cluster_admin_policy = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"

  admins = merge(
    { for arn in var.admin_principal_arns : arn => arn },
    { infrastructure = var.infrastructure_role_arn },
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
  access_entries = {
    for key, arn in local.admins : key => {
      principal_arn = arn
      policy_associations = {
        admin = {
          policy_arn   = local.cluster_admin_policy
          access_scope = { type = "cluster" }
        }
      }
    }
  }

  enabled_log_types                      = ["api", "audit", "authenticator", "controllerManager", "scheduler"]
  cloudwatch_log_group_retention_in_days = 365

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

  # Karpenter launches its nodes into the security group carrying this tag.
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
    coredns    = {}
    kube-proxy = {}
    aws-ebs-csi-driver = {
      pod_identity_association = [{
        role_arn        = module.ebs_csi_role.arn
        service_account = "ebs-csi-controller-sa"
      }]
    }
  }

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

      labels = {
        # Karpenter's own pods run on these nodes, never on nodes it manages.
        "karpenter.sh/controller" = "true"
      }
    }
  }
}

# The EBS CSI driver's controller gets its AWS permissions through EKS Pod Identity.
module "ebs_csi_role" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role"
  version = "[[ versions.modules.iam ]]"

  name            = "${var.name}-ebs-csi"
  use_name_prefix = false
  description     = "EBS CSI driver of the ${var.name} EKS cluster"

  trust_policy_permissions = {
    pod_identity = {
      actions = ["sts:AssumeRole", "sts:TagSession"]
      principals = [{
        type        = "Service"
        identifiers = ["pods.eks.amazonaws.com"]
      }]
    }
  }

  policies = {
    ebs_csi = "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"
  }
}
