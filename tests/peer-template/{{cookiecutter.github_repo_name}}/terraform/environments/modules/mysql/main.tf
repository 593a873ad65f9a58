# The mysql module of an environment (reduced): the Open edX database's name in a secret of the
# environment's namespace, and a CNAME for the shared RDS instance in the environment's zone.
resource "kubernetes_secret" "openedx" {
  metadata {
    name      = "mysql-openedx"
    namespace = var.environment_namespace
  }
  data = {
    OPENEDX_MYSQL_DATABASE = substr("${var.db_prefix}_edx", -64, -1)
  }
}

resource "aws_route53_record" "mysql" {
  zone_id = data.aws_route53_zone.environment_domain.zone_id
  name    = "mysql"
  type    = "CNAME"
}
