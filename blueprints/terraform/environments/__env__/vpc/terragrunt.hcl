include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "${get_repo_root()}/terraform/modules/vpc"
}

inputs = {
  name = "[[ env.resource_prefix ]]"
  cidr = "10.0.0.0/16"
}
