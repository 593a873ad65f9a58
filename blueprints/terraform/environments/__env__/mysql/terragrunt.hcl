# RDS MySQL.
include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

terraform {
  source = "${dirname(find_in_parent_folders("root.hcl"))}/modules//mysql"
}

[% include "terraform/environments/__env__/_dependencies/vpc.hcl" %]

[% include "terraform/environments/__env__/_dependencies/dns.hcl" %]

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
