# This environment's `kubernetes-addons` unit: terraform/_envcommon/kubernetes-addons.hcl holds what every environment
# shares, ../env.hcl this environment's settings.
include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

include "envcommon" {
  path = "${dirname(find_in_parent_folders("root.hcl"))}/_envcommon/kubernetes-addons.hcl"
}

# Inputs of this environment only: each wins over the same input of the common file.
inputs = {
}
