variable "name" {
  description = "Name of the DocumentDB cluster (the environment's resource prefix)."
  type        = string
}

variable "instance_class" {
  description = "Instance class of the cluster's instances, e.g. `db.t4g.medium`."
  type        = string
  default     = "db.t4g.medium"
}

variable "instance_count" {
  description = "Instances in the cluster (2 or more for failover)."
  type        = number
  default     = 1
}

variable "backup_retention_days" {
  description = "Days DocumentDB keeps automated backups."
  type        = number
  default     = 7
}

variable "deletion_protection" {
  description = "Refuse to delete the cluster (production)."
  type        = bool
  default     = true
}

variable "vpc_id" {
  description = "Id of the environment's VPC."
  type        = string
}

variable "node_security_group_id" {
  description = "Security group of the EKS nodes: Open edX and the backup jobs connect from it."
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
  description = "DNS name of the cluster, e.g. `mongodb.courses.example.edu`."
  type        = string
}
