# This environment's `ci-runner` unit: terraform/_envcommon/ci-runner.hcl holds what every environment
# shares, ../env.hcl this environment's settings.
include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

include "envcommon" {
  path = "${dirname(find_in_parent_folders("root.hcl"))}/_envcommon/ci-runner.hcl"
}

# Inputs of this environment only: each wins over the same input of the common file.
inputs = {
}
