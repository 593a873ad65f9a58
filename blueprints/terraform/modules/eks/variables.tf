variable "name" {
  description = "Name of the EKS cluster (the environment's resource prefix)."
  type        = string
}

variable "kubernetes_version" {
  description = "Kubernetes minor version of the control plane and the managed nodes, e.g. `1.36`."
  type        = string
}

variable "vpc_id" {
  description = "Id of the environment's VPC."
  type        = string
}

variable "vpc_cidr_block" {
  description = "IPv4 range of the VPC; it may reach the private API endpoint."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets of the nodes and the control plane's network interfaces."
  type        = list(string)
}

variable "instance_type" {
  description = "Instance type of the managed node group of system nodes (x86_64, as the rest of the cluster); Karpenter chooses the application nodes."
  type        = string

  validation {
    condition     = !can(regex("^[a-z]+[0-9]+[a-z]*g[a-z]*\\.", var.instance_type))
    error_message = "Graviton (arm64) instance types are not supported: the system nodes run the x86_64 AMI and the Open edX image is built for amd64."
  }
}

variable "min_size" {
  description = "Fewest system nodes (the managed node group): at least as many as Karpenter's controller replicas."
  type        = number
  default     = 2
}

variable "max_size" {
  description = "Most system nodes (the managed node group)."
  type        = number
  default     = 3
}

variable "public_access_cidrs" {
  description = "CIDRs that may reach the public API endpoint; empty keeps the endpoint private."
  type        = list(string)
  default     = []
}

variable "admin_principal_arns" {
  description = "IAM users or roles given cluster admin through EKS access entries."
  type        = list(string)
  default     = []
}

variable "infrastructure_role_arn" {
  description = "ARN of the GitHub infrastructure role (terragrunt apply): a cluster admin and an administrator of the secrets key."
  type        = string
}

variable "plan_role_arn" {
  description = "ARN of the GitHub plan role (terragrunt plan): reads the cluster, changes nothing."
  type        = string
}

variable "log_retention_days" {
  description = "Days the control plane logs (audit included) are kept in CloudWatch."
  type        = number
}
