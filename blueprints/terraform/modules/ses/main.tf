# Amazon SES: the environment's domain as a verified identity with Easy DKIM, a custom MAIL FROM
# domain (SPF aligned), a DMARC record, and SMTP credentials (an IAM user allowed to send from this
# domain only, and from the sender if it is outside it) that the secrets unit puts in the
# Kubernetes secret `smtp`. A new SES account is in the sandbox: ask AWS for production access
# before sending to real users.

data "aws_region" "current" {}

locals {
  mail_from_domain = "bounce.${var.domain}"
  from_email       = var.from_email != "" ? var.from_email : "no-reply@${var.domain}"
  from_domain      = lower(split("@", local.from_email)[1])
  # A verified domain identity covers every address of the domain and of its subdomains
  # (SES developer guide, "Creating and verifying identities"); any other sender needs its own.
  own_sender = local.from_domain == lower(var.domain) || endswith(local.from_domain, ".${lower(var.domain)}")
}

resource "aws_sesv2_email_identity" "domain" {
  email_identity = var.domain

  dkim_signing_attributes {
    next_signing_key_length = "RSA_2048_BIT"
  }
}

resource "aws_route53_record" "dkim" {
  count = 3

  zone_id = var.zone_id
  name    = "${aws_sesv2_email_identity.domain.dkim_signing_attributes[0].tokens[count.index]}._domainkey.${var.domain}"
  type    = "CNAME"
  ttl     = 1800
  records = ["${aws_sesv2_email_identity.domain.dkim_signing_attributes[0].tokens[count.index]}.dkim.amazonses.com"]
}

resource "aws_sesv2_email_identity_mail_from_attributes" "domain" {
  email_identity         = aws_sesv2_email_identity.domain.email_identity
  mail_from_domain       = local.mail_from_domain
  behavior_on_mx_failure = "USE_DEFAULT_VALUE"
}

resource "aws_route53_record" "mail_from_mx" {
  zone_id = var.zone_id
  name    = local.mail_from_domain
  type    = "MX"
  ttl     = 1800
  records = ["10 feedback-smtp.${data.aws_region.current.region}.amazonses.com"]
}

resource "aws_route53_record" "mail_from_spf" {
  zone_id = var.zone_id
  name    = local.mail_from_domain
  type    = "TXT"
  ttl     = 1800
  records = ["v=spf1 include:amazonses.com -all"]
}

resource "aws_route53_record" "dmarc" {
  zone_id = var.zone_id
  name    = "_dmarc.${var.domain}"
  type    = "TXT"
  ttl     = 1800
  records = ["v=DMARC1; p=${var.dmarc_policy}; adkim=r; aspf=r"]
}

# A sender outside the domain: AWS mails a verification link to it; SES refuses to send from it
# until someone opens that link.
resource "aws_sesv2_email_identity" "sender" {
  count = local.own_sender ? 0 : 1

  email_identity = local.from_email
}

# SMTP credentials: an IAM user in a group whose policy allows sending from these identities only.
resource "aws_iam_user" "smtp" {
  #checkov:skip=CKV_AWS_273:SES SMTP authentication only accepts credentials derived from an IAM user's access key.
  name = "${var.name}-ses-smtp"
}

resource "aws_iam_access_key" "smtp" {
  user = aws_iam_user.smtp.name
}

resource "aws_iam_group" "smtp" {
  name = "${var.name}-ses-smtp"
}

resource "aws_iam_user_group_membership" "smtp" {
  user   = aws_iam_user.smtp.name
  groups = [aws_iam_group.smtp.name]
}

data "aws_iam_policy_document" "send" {
  statement {
    actions   = ["ses:SendRawEmail", "ses:SendEmail"]
    resources = concat([aws_sesv2_email_identity.domain.arn], aws_sesv2_email_identity.sender[*].arn)
  }
}

resource "aws_iam_group_policy" "send" {
  name   = "ses-send"
  group  = aws_iam_group.smtp.name
  policy = data.aws_iam_policy_document.send.json
}
