# Amazon SES: the environment's domain as a sending identity, SMTP credentials.
include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

terraform {
  source = "${dirname(find_in_parent_folders("root.hcl"))}/modules//ses"
}

[% include "terraform/environments/__env__/_dependencies/dns.hcl" %]

inputs = {
  name    = include.root.locals.env.resource_prefix
  domain  = include.root.locals.env.domain
  zone_id = dependency.dns.outputs.zone_id
}
