# The shared cluster's node groups (reduced).
module "eks" {
  source = "terraform-aws-modules/eks/aws"

  eks_managed_node_groups = {
    service = {
      instance_types = ["{{ cookiecutter.eks_hosting_group_instance_type }}"]
      capacity_type  = "SPOT"
    }
  }
}
