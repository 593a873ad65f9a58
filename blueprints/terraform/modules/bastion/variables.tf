variable "name" {
  description = "Stem of the bastion's resource names (the environment's resource prefix)."
  type        = string
}

variable "instance_type" {
  description = "Instance type of the bastion (x86_64)."
  type        = string
  default     = "t3.micro"
}

variable "vpc_id" {
  description = "Id of the environment's VPC."
  type        = string
}

variable "subnet_id" {
  description = "Subnet of the bastion: private when SSH is closed (SSM needs no inbound port), public otherwise."
  type        = string
}

variable "ssh_cidrs" {
  description = "CIDRs allowed to SSH to the bastion; empty closes port 22 (use `aws ssm start-session`)."
  type        = list(string)
  default     = []
}

variable "ssh_public_key" {
  description = "Public key installed for ec2-user when SSH is open."
  type        = string
  default     = ""
}

variable "cluster_name" {
  description = "Name of the EKS cluster; the bastion's kubeconfig points at it."
  type        = string
}

variable "zone_id" {
  description = "Id of the environment's hosted zone."
  type        = string
}

variable "host" {
  description = "DNS name of the bastion, e.g. `bastion.courses.example.edu`."
  type        = string
}
