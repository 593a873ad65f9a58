# Settings of the `[[ env.name ]]` environment.
locals {
  environment     = "[[ env.name ]]"
  resource_prefix = "[[ env.resource_prefix ]]"
  domain          = "[[ env.domain ]]"

  eks_instance_type    = "[[ env.eks_instance_type ]]"
  mysql_instance_class = "[[ env.mysql_instance_class ]]"
  redis_node_type      = "[[ env.redis_node_type ]]"

  tags = {
    Environment = "[[ env.name ]]"
  }
}
