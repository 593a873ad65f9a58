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
