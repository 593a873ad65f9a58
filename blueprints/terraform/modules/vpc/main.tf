# In each availability zone a private subnet (nodes, bastion, MongoDB), a public subnet (load
# balancers, NAT) and a database subnet (RDS, ElastiCache, DocumentDB).

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "[[ versions.modules.vpc ]]"

  name = var.name
  cidr = var.cidr
  azs  = var.azs

  private_subnets  = [for index, _ in var.azs : cidrsubnet(var.cidr, 4, index)]
  public_subnets   = [for index, _ in var.azs : cidrsubnet(var.cidr, 8, 48 + index)]
  database_subnets = [for index, _ in var.azs : cidrsubnet(var.cidr, 8, 52 + index)]

  create_database_subnet_group = true
  database_subnet_group_name   = var.name

  enable_nat_gateway     = true
  single_nat_gateway     = var.single_nat_gateway
  one_nat_gateway_per_az = !var.single_nat_gateway

  enable_dns_hostnames = true
  enable_dns_support   = true

  # Nothing in this VPC gets a public address unless it asks for one.
  map_public_ip_on_launch = false

  # The module's default security group denies everything; resources bring their own groups.
  manage_default_security_group  = true
  default_security_group_ingress = []
  default_security_group_egress  = []

  enable_flow_log                                 = true
  create_flow_log_cloudwatch_log_group            = true
  create_flow_log_cloudwatch_iam_role             = true
  flow_log_cloudwatch_log_group_retention_in_days = var.flow_log_retention_days
  flow_log_max_aggregation_interval               = 60

  public_subnet_tags = {
    "kubernetes.io/role/elb" = "1"
  }

  private_subnet_tags = {
    "kubernetes.io/role/internal-elb" = "1"
    "karpenter.sh/discovery"          = var.cluster_name
  }
}

# S3 through a gateway endpoint on the private route tables (the database subnets use them too):
# free, and it takes container image layers (ECR keeps them in S3), media and backups off the
# NAT gateway, which charges for every GB it processes. No ECR interface endpoints: at three
# zones, `api` and `dkr` cost about 44 USD a month per environment, while the bytes they would
# carry (manifests, tokens) are small beside the layers, which already come through this one.
data "aws_region" "current" {}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = module.vpc.vpc_id
  service_name      = "com.amazonaws.${data.aws_region.current.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = module.vpc.private_route_table_ids

  tags = {
    Name = "${var.name}-s3"
  }
}
