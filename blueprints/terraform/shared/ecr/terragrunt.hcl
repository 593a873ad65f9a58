# Account-wide: ECR repositories of the Open edX and MFE images.
include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

terraform {
  source = "${dirname(find_in_parent_folders("root.hcl"))}/modules//ecr"
}

inputs = {
  repository_names = [
    "${include.root.locals.global.shared_prefix}-openedx",
    "${include.root.locals.global.shared_prefix}-openedx-mfe",
  ]
}
