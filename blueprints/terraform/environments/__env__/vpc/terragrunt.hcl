# The environment's VPC: private, public and database subnets in three zones, NAT.
include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

terraform {
  source = "${dirname(find_in_parent_folders("root.hcl"))}/modules//vpc"
}

inputs = {
  name               = include.root.locals.env.resource_prefix
  cidr               = include.root.locals.env.vpc_cidr
  azs                = include.root.locals.global.availability_zones
  single_nat_gateway = include.root.locals.env.single_nat_gateway
  cluster_name       = include.root.locals.env.resource_prefix
}
