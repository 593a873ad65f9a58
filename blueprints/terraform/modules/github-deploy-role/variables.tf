variable "name" {
  description = "Name of the IAM role, `<resource_prefix>-github-deploy`."
  type        = string
}

variable "oidc_provider_arn" {
  description = "ARN of the account's GitHub Actions OIDC provider (shared/github-oidc)."
  type        = string
}

variable "github_repository" {
  description = "The only repository whose workflows may assume the role, as `<organization>/<repository>`."
  type        = string
}

variable "cluster_name" {
  description = "Name of the environment's EKS cluster the role deploys to."
  type        = string
}

variable "cluster_arn" {
  description = "ARN of that cluster."
  type        = string
}

variable "ecr_repository_arns" {
  description = "ECR repositories whose images the deploy workflow may inspect."
  type        = list(string)
}

variable "github_environment" {
  description = "The GitHub environment whose jobs alone may assume the role."
  type        = string
}
