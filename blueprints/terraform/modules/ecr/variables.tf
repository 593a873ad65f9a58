variable "repository_names" {
  description = "Names of the image repositories, e.g. `<platform>-openedx` and `<platform>-openedx-mfe`."
  type        = list(string)
}

variable "keep_images" {
  description = "Images kept per repository besides those production ran (`deployed-*`) and the build caches; older ones expire."
  type        = number
  default     = 50
}
