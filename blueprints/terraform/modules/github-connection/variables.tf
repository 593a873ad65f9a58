variable "name" {
  description = "Name of the connection (at most 32 characters, unique in the account)."
  type        = string

  validation {
    condition     = length(var.name) <= 32
    error_message = "A CodeConnections connection name has at most 32 characters."
  }
}
