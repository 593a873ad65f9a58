variable "domain" {
  description = "The environment's domain (its LMS host); this module creates its hosted zone."
  type        = string
}

variable "parent_zone_name" {
  description = "The zone that delegates `domain`. Looked up by name unless `parent_zone_id` is set."
  type        = string
}

variable "parent_zone_id" {
  description = "Id of the parent zone when another unit manages it (another environment's zone)."
  type        = string
  default     = null
}
