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
  description = "Kubernetes namespace of Open edX; created here."
  type        = string
}

variable "zone_id" {
  description = "Id of the environment's hosted zone, where the web hosts' records go."
  type        = string
}

variable "hosts" {
  description = "Web hosts served through the ingress by key: lms, studio, mfe, meilisearch, grafana, and those of the Tutor plugins (notes, discovery, ...)."
  type        = map(string)

  validation {
    condition     = alltrue([for key in ["lms", "studio", "mfe", "meilisearch", "grafana"] : contains(keys(var.hosts), key)])
    error_message = "hosts must have the keys lms, studio, mfe, meilisearch and grafana."
  }
}

variable "acme_email" {
  description = "Contact address of the Let's Encrypt (ACME) account of the ClusterIssuers."
  type        = string

  validation {
    condition     = can(regex("^[^@[:space:]]+@[^@[:space:]]+\\.[^@[:space:]]+$", var.acme_email))
    error_message = "acme_email must be an e-mail address, e.g. devops@example.edu."
  }
}

variable "ingress_replicas" {
  description = "Traefik replicas (spread over nodes)."
  type        = number
  default     = 2
}

variable "prometheus_retention" {
  description = "How long Prometheus keeps metrics, e.g. `15d`."
  type        = string
  default     = "15d"
}

variable "prometheus_storage_size" {
  description = "Size of Prometheus's volume."
  type        = string
  default     = "50Gi"
}
