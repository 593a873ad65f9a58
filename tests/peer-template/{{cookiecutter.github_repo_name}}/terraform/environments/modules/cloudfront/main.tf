# The cloudfront module of an environment (reduced): a distribution of the storage bucket under
# cdn.<environment domain>, and that host's record in the environment's zone.
module "cdn_environment_domain" {
  source  = "terraform-aws-modules/cloudfront/aws"
  version = "3.2"

  aliases = ["cdn.${var.environment_domain}"]
}

resource "aws_route53_record" "cdn_environment_domain" {
  zone_id = data.aws_route53_zone.environment_domain.zone_id
  name    = "cdn.${var.environment_domain}"
  type    = "A"
}
