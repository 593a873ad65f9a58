variable "name" {
  description = "Name of the IAM role (workflows reference `arn:aws:iam::<account>:role/<name>`)."
  type        = string
}

variable "description" {
  description = "What the role is for."
  type        = string
}

variable "oidc_provider_url" {
  description = "Issuer URL of the account's GitHub Actions OIDC provider (output `url` of shared/github-oidc); an input rather than a data lookup, so that a plan on an empty account works."
  type        = string
}

variable "github_repository" {
  description = "The only repository whose workflows may assume the role, as `<organization>/<repository>`."
  type        = string
}

variable "github_contexts" {
  description = "The end of the OIDC subject the workflow must present, exactly: `ref:refs/heads/main`, `pull_request`, `environment:<name>`."
  type        = list(string)

  validation {
    condition     = alltrue([for context in var.github_contexts : !can(regex("[*?]", context))])
    error_message = "A GitHub context is matched exactly: no `*` or `?` (a wildcard would let other branches or environments assume the role)."
  }
}

variable "policies" {
  description = "Managed policies attached to the role, by a key of your choice."
  type        = map(string)
  default     = {}
}

variable "inline_permissions" {
  description = "Statements of the role's inline policy besides the ECR ones, by statement id (the key is the Sid: letters and digits only, e.g. StateLock)."
  type = map(object({
    effect    = optional(string, "Allow")
    actions   = list(string)
    resources = list(string)
    condition = optional(list(object({
      test     = string
      variable = string
      values   = list(string)
    })))
  }))
  default = {}

  # terraform-aws-iam's iam-role uses each key as the statement's Sid; IAM refuses a policy
  # whose Sid has anything but ASCII letters and digits (MalformedPolicyDocument).
  validation {
    condition     = alltrue([for key in keys(var.inline_permissions) : can(regex("^[0-9A-Za-z]+$", key))])
    error_message = "Each key of inline_permissions becomes a statement Sid, which IAM allows only letters and digits in (e.g. StateLock, not state_lock)."
  }
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
