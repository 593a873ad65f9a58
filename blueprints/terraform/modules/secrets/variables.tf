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
  description = "Kubernetes namespace of Open edX, where the secrets go."
  type        = string
}

variable "aws_region" {
  description = "AWS region of the environment."
  type        = string
}

variable "hosts" {
  description = "Hosts of the environment (lms, studio, mfe, meilisearch, cdn, grafana, ...)."
  type        = map(string)
}

variable "mysql" {
  description = "Connection to RDS MySQL as its master user."
  type = object({
    host     = string
    port     = string
    username = string
    password = string
  })
  sensitive = true
}

variable "redis" {
  description = "Connection to ElastiCache: endpoint, AUTH token, whether in-transit TLS is on."
  type = object({
    host        = string
    port        = string
    auth_token  = string
    tls_enabled = bool
  })
  sensitive = true
}

variable "mongodb_enabled" {
  description = "Whether MongoDB runs outside the cluster (EC2 or DocumentDB); false when Tutor runs it."
  type        = bool
  default     = false
}

variable "mongodb" {
  description = "Connection to MongoDB outside the cluster; null when Tutor runs MongoDB in the cluster."
  type = object({
    host         = string
    port         = string
    username     = string
    password     = string
    auth_source  = string
    use_ssl      = bool
    replica_set  = string
    retry_writes = bool
  })
  default   = null
  sensitive = true
}

variable "smtp" {
  description = "SES SMTP endpoint and credentials."
  type = object({
    host       = string
    port       = string
    username   = string
    password   = string
    from_email = string
  })
  sensitive = true
}

variable "s3" {
  description = "Media bucket and its CDN host; the backups bucket."
  type = object({
    bucket         = string
    cdn_domain     = string
    backups_bucket = string
  })
}

variable "service_account" {
  description = "Kubernetes service account of the Open edX pods, bound to the media bucket's IAM role by the storage unit."
  type        = string
}
