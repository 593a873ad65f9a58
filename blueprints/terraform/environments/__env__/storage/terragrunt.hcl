# Media bucket served by CloudFront at the CDN host (certificate in us-east-1).
include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

terraform {
  source = "${dirname(find_in_parent_folders("root.hcl"))}/modules//storage"
}

[% include "terraform/environments/__env__/_dependencies/dns.hcl" %]

inputs = {
  bucket_name = include.root.locals.env.media_bucket
  cdn_host    = include.root.locals.env.hosts.cdn
  cors_origins = [
    "https://${include.root.locals.env.hosts.lms}",
    "https://${include.root.locals.env.hosts.studio}",
    "https://${include.root.locals.env.hosts.mfe}",
  ]
  zone_id = dependency.dns.outputs.zone_id
}
