variable "name" {
  description = "Stem of the names of the backup resources (the environment's resource prefix)."
  type        = string
}

variable "bucket_name" {
  description = "Name of the backups bucket, e.g. `<resource_prefix>-backups-<account id>`."
  type        = string
}

variable "retention_days" {
  description = "Days a dump is kept."
  type        = number
  default     = 30
}

variable "schedule" {
  description = "Cron schedule of the dumps (UTC)."
  type        = string
  default     = "15 3 * * *"
}

variable "cluster_name" {
  description = "Name of the EKS cluster."
  type        = string
}

variable "cluster_endpoint" {
  description = "URL of the Kubernetes API."
  type        = string
}

variable "cluster_certificate_authority_data" {
  description = "Base64-encoded certificate authority of the Kubernetes API."
  type        = string
}

variable "namespace" {
  description = "Kubernetes namespace of Open edX (where the secrets `mysql-root` and `mongodb` are)."
  type        = string
}

variable "mongodb_mode" {
  description = "Where MongoDB runs: `ec2` or `in_cluster` (dumped daily), or `documentdb` (its own automated backups)."
  type        = string

  validation {
    condition     = contains(["ec2", "documentdb", "in_cluster"], var.mongodb_mode)
    error_message = "mongodb_mode must be ec2, documentdb or in_cluster."
  }
}

variable "mongodb_backup" {
  description = "MongoDB on EC2: where to connect and the `backup` user the dump runs as (null otherwise)."
  type = object({
    host     = string
    port     = string
    username = string
    password = string
  })
  default   = null
  sensitive = true
}
