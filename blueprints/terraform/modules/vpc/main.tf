data "aws_availability_zones" "available" {
  state = "available"
}

locals {
  azs = slice(data.aws_availability_zones.available.names, 0, 3)
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "[[ versions.modules.vpc ]]"

  name = var.name
  cidr = var.cidr
  azs  = local.azs

  private_subnets  = [for index in range(3) : cidrsubnet(var.cidr, 4, index)]
  public_subnets   = [for index in range(3) : cidrsubnet(var.cidr, 8, 48 + index)]
  database_subnets = [for index in range(3) : cidrsubnet(var.cidr, 8, 52 + index)]

  enable_nat_gateway = true
  single_nat_gateway = true
}
