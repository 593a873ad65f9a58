# Media bucket served by CloudFront at the CDN host (certificate in us-east-1).
include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

terraform {
  source = "${dirname(find_in_parent_folders("root.hcl"))}/modules//storage"
}

dependency "dns" {
  config_path = "../dns"
  mock_outputs = {
    zone_id = "Z00000000000000000000"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan", "init"]
}

inputs = {
  bucket_name = "${include.root.locals.env.resource_prefix}-storage"
  cdn_host    = include.root.locals.env.hosts.cdn
  cors_origins = [
    "https://${include.root.locals.env.hosts.lms}",
    "https://${include.root.locals.env.hosts.studio}",
    "https://${include.root.locals.env.hosts.mfe}",
  ]
  zone_id = dependency.dns.outputs.zone_id
}
