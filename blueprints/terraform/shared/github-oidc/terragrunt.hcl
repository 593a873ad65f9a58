# Account-wide: the IAM OIDC provider of GitHub Actions (one per AWS account).
include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

terraform {
  source = "${dirname(find_in_parent_folders("root.hcl"))}/modules//github-oidc-provider"
}
