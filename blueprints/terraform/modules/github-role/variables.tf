variable "name" {
  description = "Name of the IAM role (workflows reference `arn:aws:iam::<account>:role/<name>`)."
  type        = string
}

variable "description" {
  description = "What the role is for."
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

variable "github_contexts" {
  description = "The end of the OIDC subject the workflow must present: `ref:refs/heads/main`, `pull_request`, `environment:<name>` (wildcards allowed)."
  type        = list(string)
}

variable "policies" {
  description = "Managed policies attached to the role, by a key of your choice."
  type        = map(string)
  default     = {}
}

variable "ecr_repository_arns" {
  description = "ECR repositories the role may push to and pull from."
  type        = list(string)
  default     = []
}

variable "ecr_kms_key_arn" {
  description = "KMS key of those ECR repositories."
  type        = string
  default     = null
}

variable "max_session_duration" {
  description = "Longest session, in seconds."
  type        = number
  default     = 3600
}
