variable "name" {
  description = "Name of the VPC and stem of its resources."
  type        = string
}

variable "cidr" {
  description = "The VPC's IPv4 range."
  type        = string
}
