variable "identifier" {
  description = "Name of the RDS instance (the environment's resource prefix)."
  type        = string
}

variable "instance_class" {
  description = "RDS instance class, e.g. `db.t3.small`."
  type        = string
}

variable "allocated_storage" {
  description = "Initial storage, in GiB."
  type        = number
  default     = 20
}

variable "max_allocated_storage" {
  description = "Storage autoscaling limit, in GiB."
  type        = number
  default     = 200
}

variable "multi_az" {
  description = "A standby in another availability zone."
  type        = bool
  default     = false
}

variable "backup_retention_days" {
  description = "Days RDS keeps automated backups (point-in-time recovery)."
  type        = number
  default     = 7
}

variable "deletion_protection" {
  description = "Refuse to delete the database (production)."
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

variable "performance_insights_enabled" {
  description = "Performance Insights; RDS for MySQL refuses it on db.t2/t3/t4g micro and small."
  type        = bool
  default     = false

  # An edit of the class alone in env.hcl must not turn into a failed CreateDBInstance.
  validation {
    condition     = !var.performance_insights_enabled || !can(regex("^db\\.t(2|3|4g)\\.(micro|small)$", var.instance_class))
    error_message = "RDS for MySQL has no Performance Insights on db.t2/t3/t4g micro and small: set mysql_performance_insights = false in env.hcl, or choose a larger class."
  }
}

variable "db_subnet_group_name" {
  description = "RDS subnet group over the database subnets."
  type        = string
}

variable "zone_id" {
  description = "Id of the environment's hosted zone."
  type        = string
}

variable "host" {
  description = "DNS name of the database, e.g. `mysql.courses.example.edu`."
  type        = string
}
