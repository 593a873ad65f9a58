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

variable "cpu_limit" {
  description = "Most vCPUs that Karpenter's nodes may have in total."
  type        = number
  default     = 64
}

variable "ecr_pull_through_policy_arn" {
  description = "IAM policy of the eks unit that lets nodes pull through the ECR cache of public.ecr.aws."
  type        = string
}
