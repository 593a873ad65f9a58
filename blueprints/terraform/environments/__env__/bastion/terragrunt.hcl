# Bastion for operators (SSM Session Manager), with kubectl, k9s, mysql and mongosh.
include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

terraform {
  source = "${dirname(find_in_parent_folders("root.hcl"))}/modules//bastion"
}

dependency "vpc" {
  config_path = "../vpc"
  mock_outputs = {
    vpc_id                     = "vpc-00000000000000000"
    vpc_cidr_block             = "10.0.0.0/16"
    private_subnets            = ["subnet-00000000000000001", "subnet-00000000000000002", "subnet-00000000000000003"]
    public_subnets             = ["subnet-00000000000000004", "subnet-00000000000000005", "subnet-00000000000000006"]
    database_subnets           = ["subnet-00000000000000007", "subnet-00000000000000008", "subnet-00000000000000009"]
    database_subnet_group_name = "mock"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan", "init"]
}

dependency "dns" {
  config_path = "../dns"
  mock_outputs = {
    zone_id = "Z00000000000000000000"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan", "init"]
}

dependency "eks" {
  config_path = "../eks"
  mock_outputs = {
    cluster_name                       = "mock"
    cluster_arn                        = "arn:aws:eks:us-east-1:000000000000:cluster/mock"
    cluster_endpoint                   = "https://mock.eks.amazonaws.com"
    cluster_certificate_authority_data = "bW9jaw=="
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan", "init"]
}

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
