variable "bucket_name" {
  description = "Name of the media bucket, e.g. `<resource_prefix>-storage-<account id>`."
  type        = string
}

variable "cdn_host" {
  description = "Host CloudFront serves the bucket at, e.g. `cdn.courses.example.edu`."
  type        = string
}

variable "cors_origins" {
  description = "Origins (https://host) whose pages may fetch from the CDN: LMS, Studio, MFE."
  type        = list(string)
}

variable "zone_id" {
  description = "Id of the environment's hosted zone."
  type        = string
}

variable "price_class" {
  description = "CloudFront price class: `PriceClass_100` (North America, Europe), `PriceClass_200`, `PriceClass_All`."
  type        = string
  default     = "PriceClass_100"
}
