# The environment's hosted zone, delegated from the root zone (reduced).
data "aws_route53_zone" "root_domain" {
  name = var.root_domain
}

resource "aws_route53_zone" "environment_domain" {
  name = var.environment_domain
}

resource "aws_route53_record" "environment_domain-ns" {
  zone_id = data.aws_route53_zone.root_domain.zone_id
  name    = aws_route53_zone.environment_domain.name
  type    = "NS"
  ttl     = "600"
  records = aws_route53_zone.environment_domain.name_servers
}
