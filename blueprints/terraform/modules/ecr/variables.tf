variable "repository_names" {
  description = "Names of the image repositories, e.g. `<platform>-openedx` and `<platform>-openedx-mfe`."
  type        = list(string)
}

variable "keep_images" {
  description = "Builds (`<tutor version>-<commit>`) kept per repository besides those production ran (`deployed-*`); older ones expire."
  type        = number
  default     = 50
}
