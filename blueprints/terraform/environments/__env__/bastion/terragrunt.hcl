# Bastion for operators (SSM Session Manager), with kubectl, k9s, mysql and mongosh.
include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

terraform {
  source = "${dirname(find_in_parent_folders("root.hcl"))}/modules//bastion"
}

[% include "terraform/environments/__env__/_dependencies/vpc.hcl" %]

[% include "terraform/environments/__env__/_dependencies/dns.hcl" %]

[% include "terraform/environments/__env__/_dependencies/eks.hcl" %]

inputs = {
  name          = include.root.locals.env.resource_prefix
  instance_type = include.root.locals.env.bastion_instance_type
  vpc_id        = dependency.vpc.outputs.vpc_id
  # A public subnet only when SSH is open; SSM needs no inbound access.
  subnet_id = (
    length(include.root.locals.env.bastion_ssh_cidrs) > 0
    ? dependency.vpc.outputs.public_subnets[0]
    : dependency.vpc.outputs.private_subnets[0]
  )
  ssh_cidrs      = include.root.locals.env.bastion_ssh_cidrs
  ssh_public_key = include.root.locals.env.bastion_ssh_public_key
  cluster_name   = dependency.eks.outputs.cluster_name
  zone_id        = dependency.dns.outputs.zone_id
  host           = include.root.locals.env.hosts.bastion
}
