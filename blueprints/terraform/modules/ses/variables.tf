variable "name" {
  description = "Stem of the names of the SMTP user (the environment's resource prefix)."
  type        = string
}

variable "domain" {
  description = "Domain mail is sent from (the environment's domain)."
  type        = string
}

variable "zone_id" {
  description = "Id of the environment's hosted zone (DKIM, SPF, DMARC and MAIL FROM records)."
  type        = string
}

variable "dmarc_policy" {
  description = "DMARC policy of the domain: `none`, `quarantine` or `reject`."
  type        = string
  default     = "quarantine"
}

variable "from_email" {
  description = "Sender of the platform's e-mail; outside `domain` and its subdomains it gets an identity of its own, verified by the link AWS mails to it. Empty: no-reply@<domain>."
  type        = string
  default     = ""

  validation {
    condition     = var.from_email == "" || can(regex("^[^@[:space:]]+@[^@[:space:]]+\\.[^@[:space:]]+$", var.from_email))
    error_message = "from_email must be empty or an e-mail address, e.g. support@example.edu."
  }
}
