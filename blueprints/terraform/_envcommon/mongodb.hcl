[% if answers.mongodb == "ec2" %]
# MongoDB [[ versions.services.mongodb ]] on an EC2 instance in a private subnet.
[% else %]
# Amazon DocumentDB (MongoDB API): no retryable writes, TLS only (see modules/documentdb/main.tf).
[% endif %]
# Included by every environment's `mongodb` unit; inputs set in a unit win over these.
locals {
  # Evaluated for the including unit: get_terragrunt_dir() and find_in_parent_folders start from
  # its folder, so this is its environment's env.hcl.
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
}

terraform {
[% if answers.mongodb == "ec2" %]
  source = "${dirname(find_in_parent_folders("root.hcl"))}/modules//mongodb-ec2"
[% else %]
  source = "${dirname(find_in_parent_folders("root.hcl"))}/modules//documentdb"
[% endif %]
}

[% include "terraform/_envcommon/_dependencies/vpc.hcl" %]

[% include "terraform/_envcommon/_dependencies/dns.hcl" %]

[% include "terraform/_envcommon/_dependencies/eks.hcl" %]
[% if answers.bastion %]

[% include "terraform/_envcommon/_dependencies/bastion.hcl" %]
[% endif %]

inputs = {
  name    = local.env.resource_prefix
  vpc_id  = dependency.vpc.outputs.vpc_id
  zone_id = dependency.dns.outputs.zone_id
  host    = local.env.hosts.mongodb

[% include "terraform/_envcommon/_partials/client-security-groups.hcl" %]

[% if answers.mongodb == "ec2" %]
  instance_type           = local.env.mongodb_instance_type
  volume_size             = local.env.mongodb_volume_size
  termination_protection  = local.env.is_production
  subnet_id               = dependency.vpc.outputs.private_subnets[0]
  snapshot_interval_hours = local.env.mongodb_snapshot_interval_hours
  snapshot_count          = local.env.mongodb_snapshot_count
[% else %]
  instance_class        = local.env.documentdb_instance_class
  instance_count        = local.env.documentdb_instance_count
  backup_retention_days = local.env.documentdb_retention_days
  deletion_protection   = local.env.is_production
  subnet_ids            = dependency.vpc.outputs.database_subnets
[% endif %]
}
