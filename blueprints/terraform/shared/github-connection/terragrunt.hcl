# Account-wide: the connection from AWS to GitHub (AWS CodeConnections) through which every
# environment's CI runner (environments/<name>/ci-runner) takes the workflows' jobs. Created
# PENDING: a person authorises it once in the AWS console (README, first apply).
include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

terraform {
  source = "${dirname(find_in_parent_folders("root.hcl"))}/modules//github-connection"
}

inputs = {
  # At most 32 characters, unique in the account.
  name = "${trimsuffix(substr(include.root.locals.global.shared_prefix, 0, 25), "-")}-github"
}
