# The ses module of an environment (reduced): the domain identity, its DKIM keys and their records
# in the environment's zone.
resource "aws_ses_domain_identity" "environment_domain" {
  domain = var.environment_domain
}

resource "aws_ses_domain_dkim" "environment_domain" {
  domain = aws_ses_domain_identity.environment_domain.domain
}

resource "aws_route53_record" "environment_domain_amazonses_dkim_record" {
  count   = 3
  zone_id = data.aws_route53_zone.environment_domain.zone_id
  name    = "${aws_ses_domain_dkim.environment_domain.dkim_tokens[count.index]}._domainkey"
  type    = "CNAME"
}
