# The environment's own public hosted zone, delegated from its parent zone. Every host of the
# environment (lms, studio, apps, cdn, mysql, ...) is a record in this zone.

data "aws_route53_zone" "parent" {
  count = var.parent_zone_id == null ? 1 : 0

  name         = var.parent_zone_name
  private_zone = false
}

locals {
  parent_zone_id = var.parent_zone_id != null ? var.parent_zone_id : data.aws_route53_zone.parent[0].zone_id
}

resource "aws_route53_zone" "this" {
  #checkov:skip=CKV2_AWS_38:DNSSEC signing needs a DS record chain from the root domain, which this repository does not manage; enable it together with the root zone.
  #checkov:skip=CKV2_AWS_39:Query logging is optional for a public web zone; CloudFront, load balancer and application logs cover the traffic.
  name    = var.domain
  comment = "Open edX environment ${var.domain}"
}

resource "aws_route53_record" "delegation" {
  zone_id = local.parent_zone_id
  name    = var.domain
  type    = "NS"
  ttl     = 3600
  records = aws_route53_zone.this.name_servers
}

# Only Let's Encrypt (cert-manager) and Amazon (ACM, for CloudFront) may issue certificates.
resource "aws_route53_record" "caa" {
  zone_id = aws_route53_zone.this.zone_id
  name    = var.domain
  type    = "CAA"
  ttl     = 3600
  records = [
    "0 issue \"letsencrypt.org\"",
    "0 issue \"amazon.com\"",
    "0 issuewild \";\"",
  ]
}
