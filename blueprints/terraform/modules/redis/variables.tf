variable "name" {
  description = "Name of the replication group (the environment's resource prefix)."
  type        = string
}

variable "node_type" {
  description = "ElastiCache node type, e.g. `cache.t3.small`."
  type        = string
}

variable "replicas" {
  description = "Read replicas besides the primary (at least 1 for automatic failover)."
  type        = number
  default     = 0
}

variable "vpc_id" {
  description = "Id of the environment's VPC."
  type        = string
}

variable "node_security_group_id" {
  description = "Security group of the EKS nodes: Open edX connects from it."
  type        = string
}

variable "bastion_security_group_id" {
  description = "Security group of the bastion, which may connect too; null without a bastion."
  type        = string
  default     = null
}

variable "subnet_ids" {
  description = "Database subnets."
  type        = list(string)
}

variable "zone_id" {
  description = "Id of the environment's hosted zone."
  type        = string
}

variable "host" {
  description = "DNS name of the cache, e.g. `redis.courses.example.edu`."
  type        = string
}
