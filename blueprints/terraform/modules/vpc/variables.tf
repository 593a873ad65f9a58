variable "name" {
  description = "Name of the VPC and stem of the names of its resources."
  type        = string
}

variable "cidr" {
  description = "The VPC's IPv4 range; a /16 is split into private, public and database subnets."
  type        = string
}

variable "azs" {
  description = "Availability zones (two or three), e.g. [\"eu-west-2a\", \"eu-west-2b\", \"eu-west-2c\"]."
  type        = list(string)

  validation {
    condition     = length(var.azs) >= 2 && length(var.azs) <= 3
    error_message = "Give two or three availability zones: EKS needs two, the subnet plan has room for three."
  }
}

variable "single_nat_gateway" {
  description = "One NAT gateway for all zones (cheaper) instead of one per zone (survives a zone outage)."
  type        = bool
  default     = false
}

variable "cluster_name" {
  description = "Name of the EKS cluster that uses this VPC (subnet tags for load balancers and Karpenter)."
  type        = string
}

variable "flow_log_retention_days" {
  description = "Days CloudWatch keeps the VPC flow logs."
  type        = number
  default     = 90
}
