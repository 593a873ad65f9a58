variable "name" {
  description = "Name of the IAM role, `<resource_prefix>-github-deploy`."
  type        = string
}

variable "oidc_provider_url" {
  description = "Issuer URL of the account's GitHub Actions OIDC provider (output `url` of shared/github-oidc); an input rather than a data lookup, so that a plan on an empty account works."
  type        = string
}

variable "namespaces" {
  description = "Kubernetes namespaces the deploy role administers (the environment's Open edX namespace)."
  type        = list(string)
}

variable "max_session_duration" {
  description = "Longest session, in seconds; the deploy workflow's `role-duration-seconds`."
  type        = number
  default     = 7200
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

variable "ecr_kms_key_arn" {
  description = "KMS key of those ECR repositories (output `kms_key_arn` of shared/ecr)."
  type        = string
}

variable "github_environment" {
  description = "The GitHub environment whose jobs alone may assume the role."
  type        = string
}

variable "mark_deployed_images" {
  description = "Whether the deploy tags the images it runs `deployed-<environment>-<tag>`, keeping them from expiry (production)."
  type        = bool
  default     = false
}

variable "tutor_generated_secret_name" {
  description = "Name of the Secrets Manager secret that keeps a copy of the Kubernetes secret tutor-generated, `<resource_prefix>/tutor-generated` (scripts/tutor-deploy.sh uses this name)."
  type        = string
}
