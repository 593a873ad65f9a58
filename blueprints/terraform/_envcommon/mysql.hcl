# RDS MySQL.
# Included by every environment's `mysql` unit; inputs set in a unit win over these.
locals {
  # Evaluated for the including unit: get_terragrunt_dir() and find_in_parent_folders start from
  # its folder, so this is its environment's env.hcl.
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
}

terraform {
  source = "${dirname(find_in_parent_folders("root.hcl"))}/modules//mysql"
}

[% include "terraform/_envcommon/_dependencies/vpc.hcl" %]

[% include "terraform/_envcommon/_dependencies/dns.hcl" %]

[% include "terraform/_envcommon/_dependencies/eks.hcl" %]
[% if answers.bastion %]

[% include "terraform/_envcommon/_dependencies/bastion.hcl" %]
[% endif %]

inputs = {
  identifier                   = local.env.resource_prefix
  instance_class               = local.env.mysql_instance_class
  allocated_storage            = local.env.mysql_allocated_storage
  max_allocated_storage        = local.env.mysql_max_allocated_storage
  multi_az                     = local.env.mysql_multi_az
  backup_retention_days        = local.env.mysql_backup_retention_days
  deletion_protection          = local.env.mysql_deletion_protection
  performance_insights_enabled = local.env.mysql_performance_insights
  vpc_id                       = dependency.vpc.outputs.vpc_id
  db_subnet_group_name         = dependency.vpc.outputs.database_subnet_group_name
  zone_id                      = dependency.dns.outputs.zone_id
  host                         = local.env.hosts.mysql

[% include "terraform/_envcommon/_partials/client-security-groups.hcl" %]
}
