variable "name" {
  description = "Name of the instance and stem of its resources (the environment's resource prefix)."
  type        = string
}

variable "instance_type" {
  description = "Instance type of the MongoDB server (x86_64)."
  type        = string
  default     = "t3.medium"
}

variable "volume_size" {
  description = "Size of the data volume, in GiB."
  type        = number
  default     = 50
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

variable "subnet_id" {
  description = "Private subnet of the instance."
  type        = string
}

variable "zone_id" {
  description = "Id of the environment's hosted zone."
  type        = string
}

variable "host" {
  description = "DNS name of the server, e.g. `mongodb.courses.example.edu`."
  type        = string
}

variable "termination_protection" {
  description = "Refuse to terminate the instance (production)."
  type        = bool
  default     = true
}

variable "snapshot_interval_hours" {
  description = "Hours between snapshots of the data volume (1, 2, 3, 4, 6, 8, 12 or 24)."
  type        = number
  default     = 4

  validation {
    condition     = contains([1, 2, 3, 4, 6, 8, 12, 24], var.snapshot_interval_hours)
    error_message = "Data Lifecycle Manager takes 1, 2, 3, 4, 6, 8, 12 or 24 hours."
  }
}

variable "snapshot_count" {
  description = "Snapshots of the data volume kept (1 to 1000)."
  type        = number
  default     = 42
}
