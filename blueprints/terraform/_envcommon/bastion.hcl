# Bastion for operators (SSM Session Manager), with kubectl, k9s, mysql and mongosh.
# Included by every environment's `bastion` unit; inputs set in a unit win over these.
locals {
  # Evaluated for the including unit: get_terragrunt_dir() and find_in_parent_folders start from
  # its folder, so this is its environment's env.hcl.
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
}

terraform {
  source = "${dirname(find_in_parent_folders("root.hcl"))}/modules//bastion"
}

[% include "terraform/_envcommon/_dependencies/vpc.hcl" %]

[% include "terraform/_envcommon/_dependencies/dns.hcl" %]

[% include "terraform/_envcommon/_dependencies/eks.hcl" %]

inputs = {
  name          = local.env.resource_prefix
  instance_type = local.env.bastion_instance_type
  vpc_id        = dependency.vpc.outputs.vpc_id
  # A public subnet only when SSH is open; SSM needs no inbound access.
  subnet_id = (
    length(local.env.bastion_ssh_cidrs) > 0
    ? dependency.vpc.outputs.public_subnets[0]
    : dependency.vpc.outputs.private_subnets[0]
  )
  ssh_cidrs      = local.env.bastion_ssh_cidrs
  ssh_public_key = local.env.bastion_ssh_public_key
  cluster_name   = dependency.eks.outputs.cluster_name
  zone_id        = dependency.dns.outputs.zone_id
  host           = local.env.hosts.bastion
}
