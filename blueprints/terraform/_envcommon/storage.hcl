# Media bucket served by CloudFront at the CDN host (certificate in us-east-1), and the IAM role
# the Open edX pods use for it through EKS Pod Identity.
# Included by every environment's `storage` unit; inputs set in a unit win over these.
locals {
  # Evaluated for the including unit: get_terragrunt_dir() and find_in_parent_folders start from
  # its folder, so this is its environment's env.hcl.
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
}

terraform {
  source = "${dirname(find_in_parent_folders("root.hcl"))}/modules//storage"
}

[% include "terraform/_envcommon/_dependencies/dns.hcl" %]

[% include "terraform/_envcommon/_dependencies/eks.hcl" %]

inputs = {
  bucket_name = local.env.media_bucket
  cdn_host    = local.env.hosts.cdn
  cors_origins = [
    "https://${local.env.hosts.lms}",
    "https://${local.env.hosts.studio}",
    "https://${local.env.hosts.mfe}",
  ]
  zone_id      = dependency.dns.outputs.zone_id
  cluster_name = dependency.eks.outputs.cluster_name
  namespace    = local.env.namespace
}
