# The LMS host and every host under it, at the cluster's load balancer, in the environment's zone (reduced).
resource "aws_route53_record" "naked" {
  zone_id = data.aws_route53_zone.environment_domain.zone_id
  name    = var.environment_domain
  type    = "A"
}

resource "aws_route53_record" "wildcard" {
  zone_id = data.aws_route53_zone.environment_domain.zone_id
  name    = "*.${var.environment_domain}"
  type    = "A"
}
