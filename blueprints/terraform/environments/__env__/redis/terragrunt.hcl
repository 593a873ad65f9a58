# This environment's `redis` unit: terraform/_envcommon/redis.hcl holds what every environment
# shares, ../env.hcl this environment's settings.
include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

include "envcommon" {
  path = "${dirname(find_in_parent_folders("root.hcl"))}/_envcommon/redis.hcl"
}

# Inputs of this environment only: each wins over the same input of the common file.
inputs = {
}
