[% if answers.mongodb == "ec2" %]
# MongoDB [[ versions.services.mongodb ]] on an EC2 instance in a private subnet.
[% else %]
# Amazon DocumentDB (MongoDB API); see docs/decisions/mongodb.md for its caveats.
[% endif %]
include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

terraform {
[% if answers.mongodb == "ec2" %]
  source = "${dirname(find_in_parent_folders("root.hcl"))}/modules//mongodb-ec2"
[% else %]
  source = "${dirname(find_in_parent_folders("root.hcl"))}/modules//documentdb"
[% endif %]
}

[% include "terraform/environments/__env__/_dependencies/vpc.hcl" %]

[% include "terraform/environments/__env__/_dependencies/dns.hcl" %]

inputs = {
  name           = include.root.locals.env.resource_prefix
  vpc_id         = dependency.vpc.outputs.vpc_id
  vpc_cidr_block = dependency.vpc.outputs.vpc_cidr_block
  zone_id        = dependency.dns.outputs.zone_id
  host           = include.root.locals.env.hosts.mongodb

[% if answers.mongodb == "ec2" %]
  instance_type          = include.root.locals.env.mongodb_instance_type
  volume_size            = include.root.locals.env.mongodb_volume_size
  termination_protection = include.root.locals.env.is_production
  subnet_id              = dependency.vpc.outputs.private_subnets[0]
[% else %]
  instance_class        = include.root.locals.env.documentdb_instance_class
  instance_count        = include.root.locals.env.documentdb_instance_count
  backup_retention_days = include.root.locals.env.documentdb_retention_days
  deletion_protection   = include.root.locals.env.is_production
  subnet_ids            = dependency.vpc.outputs.database_subnets
[% endif %]
}
