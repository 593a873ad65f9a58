# The mongodb module of an environment (reduced): the shared MongoDB host's admin credentials and
# the Open edX and forum database names in secrets of the environment's namespace, and a CNAME for
# the host in the environment's zone.
resource "kubernetes_secret" "mongodb_admin" {
  metadata {
    name      = "mongodb-admin"
    namespace = var.environment_namespace
  }
  data = {
    MONGODB_ADMIN_USERNAME = "admin"
    MONGODB_HOST           = "mongodb.${var.services_subdomain}"
    MONGODB_PORT           = "27017"
  }
}

resource "kubernetes_secret" "openedx" {
  metadata {
    name      = "mongodb-openedx"
    namespace = var.environment_namespace
  }
  data = {
    MONGODB_DATABASE       = substr("${var.db_prefix}_edx", -32, -1)
    FORUM_MONGODB_DATABASE = substr("${var.db_prefix}_cs_comments", -32, -1)
  }
}

resource "aws_route53_record" "mongodb" {
  zone_id = data.aws_route53_zone.environment_domain.zone_id
  name    = "mongodb"
  type    = "CNAME"
}
