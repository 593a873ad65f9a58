variable "name" {
  description = "Name of the instance and stem of its resources (the environment's resource prefix)."
  type        = string
}

variable "instance_type" {
  description = "Instance type of the MongoDB server (x86_64)."
  type        = string
  default     = "t3.medium"
}

variable "volume_size" {
  description = "Size of the data volume, in GiB."
  type        = number
  default     = 50
}

variable "vpc_id" {
  description = "Id of the environment's VPC."
  type        = string
}

variable "vpc_cidr_block" {
  description = "IPv4 range of the VPC: only it may connect."
  type        = string
}

variable "subnet_id" {
  description = "Private subnet of the instance."
  type        = string
}

variable "zone_id" {
  description = "Id of the environment's hosted zone."
  type        = string
}

variable "host" {
  description = "DNS name of the server, e.g. `mongodb.courses.example.edu`."
  type        = string
}

variable "termination_protection" {
  description = "Refuse to terminate the instance (production)."
  type        = bool
  default     = true
}
