locals {
  # placeholders: the WordPress units read their own settings
  environment           = "wordpress"
  environment_namespace = "wordpress"
}
