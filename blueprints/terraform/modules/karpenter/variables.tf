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

variable "capacity_types" {
  description = "Capacity types of the nodes Karpenter launches: `spot` and/or `on-demand` (spot first when both)."
  type        = list(string)

  validation {
    condition     = length(var.capacity_types) > 0 && alltrue([for capacity in var.capacity_types : contains(["spot", "on-demand"], capacity)])
    error_message = "capacity_types (env.hcl: karpenter_capacity_types) lists `spot` and/or `on-demand`, at least one."
  }
}

variable "instance_sizes" {
  description = "Instance sizes (the part after the dot: `large`, `xlarge`, `2xlarge`) of the nodes Karpenter launches."
  type        = list(string)

  validation {
    condition     = length(var.instance_sizes) > 0 && alltrue([for size in var.instance_sizes : can(regex("^([0-9]*xlarge|large|metal(-[0-9]+xl)?)$", size))])
    error_message = "instance_sizes (env.hcl: karpenter_instance_sizes) lists sizes such as `large`, `xlarge` or `2xlarge`: families c, m and r have none smaller than `large`."
  }
}

variable "min_instance_memory_mib" {
  description = "Least memory, in MiB, of the nodes Karpenter launches: the memory the pod sizes were computed for (the instance type of the answers)."
  type        = number

  validation {
    condition     = var.min_instance_memory_mib >= 1024 && floor(var.min_instance_memory_mib) == var.min_instance_memory_mib
    error_message = "min_instance_memory_mib (env.hcl: karpenter_min_instance_memory_mib) is a whole number of MiB, 1024 or more."
  }
}

variable "disruption_budget" {
  description = "Most nodes that consolidation or drift may disrupt at once: a count (`1`) or a share (`10%`)."
  type        = string
  default     = "10%"

  validation {
    condition     = can(regex("^([0-9]+|[0-9]+%)$", var.disruption_budget))
    error_message = "disruption_budget (env.hcl: karpenter_disruption_budget) is a count such as \"1\" or a share such as \"10%\"."
  }
}

variable "replicas" {
  description = "Replicas of Karpenter's controller: at most the number of system nodes (one per node)."
  type        = number
  default     = 2
}

variable "ecr_pull_through_policy_arn" {
  description = "IAM policy of the eks unit that lets nodes pull through the ECR cache of public.ecr.aws."
  type        = string
}
