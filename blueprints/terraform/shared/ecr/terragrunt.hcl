# Account-wide: ECR repositories of the images the build makes (Open edX, MFE, Tutor plugins).
include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

terraform {
  source = "${dirname(find_in_parent_folders("root.hcl"))}/modules//ecr"
}

inputs = {
  repository_names = [
[% for image in images %]
    "${include.root.locals.global.shared_prefix}-[[ image.repository ]]",
[% endfor %]
  ]
}
