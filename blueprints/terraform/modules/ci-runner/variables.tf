variable "name" {
  description = "Name of the CodeBuild project, `<resource_prefix>-ci-runner`; the workflows' `runs-on` label is `codebuild-<name>-<run id>-<run attempt>`. Also names its role, key alias and log group."
  type        = string
}

variable "github_repository" {
  description = "The repository whose workflow jobs the runner takes, as `<organization>/<repository>`."
  type        = string
}

variable "workflow_names" {
  description = "Names (`name:`) of the workflows whose queued jobs start a build: the environment's deploy and the infrastructure workflow."
  type        = list(string)
}

variable "connection_arn" {
  description = "ARN of the account's CodeConnections connection to GitHub (output `arn` of shared/github-connection)."
  type        = string
}

variable "vpc_id" {
  description = "The environment's VPC."
  type        = string
}

variable "subnet_ids" {
  description = "The VPC's private subnets (they reach the internet through NAT, which CodeBuild needs)."
  type        = list(string)
}

variable "image" {
  description = "CodeBuild curated image of the builds; Ubuntu, so that actions/setup-python finds its Python builds."
  type        = string
}

variable "compute_type" {
  description = "CodeBuild compute type of the builds."
  type        = string
  default     = "BUILD_GENERAL1_MEDIUM"
}

variable "build_timeout_minutes" {
  description = "Longest build, in minutes: above the longest job's timeout-minutes."
  type        = number
  default     = 300
}

variable "log_retention_days" {
  description = "Days CloudWatch keeps the build logs: a record of everything that ran inside the VPC."
  type        = number
  default     = 365
}
