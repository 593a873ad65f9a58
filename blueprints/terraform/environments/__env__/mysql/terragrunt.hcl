# RDS MySQL.
include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

terraform {
  source = "${dirname(find_in_parent_folders("root.hcl"))}/modules//mysql"
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

inputs = {
  identifier            = include.root.locals.env.resource_prefix
  instance_class        = include.root.locals.env.mysql_instance_class
  allocated_storage     = include.root.locals.env.mysql_allocated_storage
  max_allocated_storage = include.root.locals.env.mysql_max_allocated_storage
  multi_az              = include.root.locals.env.mysql_multi_az
  backup_retention_days = include.root.locals.env.mysql_backup_retention_days
  deletion_protection   = include.root.locals.env.mysql_deletion_protection
  vpc_id                = dependency.vpc.outputs.vpc_id
  vpc_cidr_block        = dependency.vpc.outputs.vpc_cidr_block
  db_subnet_group_name  = dependency.vpc.outputs.database_subnet_group_name
  zone_id               = dependency.dns.outputs.zone_id
  host                  = include.root.locals.env.hosts.mysql
}
