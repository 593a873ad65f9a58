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

variable "public_prefixes" {
  description = "Key prefixes CloudFront may read (the public media of the devops Tutor plugin); every other key stays private to Open edX."
  type        = list(string)
  default     = ["media/"]

  validation {
    condition     = length(var.public_prefixes) > 0 && alltrue([for p in var.public_prefixes : can(regex("^[A-Za-z0-9][A-Za-z0-9_.-]*/$", p)) && !startswith(p, "private/")])
    error_message = "Each public prefix is a top-level folder ending in `/` (e.g. `media/`), never `private/`: an empty prefix would open the whole bucket to the CDN."
  }
}

variable "cluster_name" {
  description = "Name of the environment's EKS cluster, for the Pod Identity association."
  type        = string
}

variable "namespace" {
  description = "Kubernetes namespace of Open edX."
  type        = string
}

variable "service_account" {
  description = "Kubernetes service account of the LMS, Studio and worker pods (created by the secrets unit, set by the devops Tutor plugin)."
  type        = string
  default     = "openedx"
}
