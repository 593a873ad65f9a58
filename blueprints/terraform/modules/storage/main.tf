# Open edX's media bucket: private, versioned, encrypted, served read-only through CloudFront at
# the CDN host with origin access control. The certificate of the CDN host is in us-east-1, as
# CloudFront requires. Open edX writes to the bucket with the access key of an IAM user whose
# policy allows this one bucket.

data "aws_region" "current" {}

module "bucket" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "[[ versions.modules.s3_bucket ]]"

  bucket = var.bucket_name

[% include "terraform/modules/_partials/private-bucket.tf" %]

  lifecycle_rule = [{
    id      = "expire-old-versions"
    enabled = true
    filter  = {}
    noncurrent_version_expiration = {
      noncurrent_days = 90
    }
    abort_incomplete_multipart_upload_days = 7
  }]

  cors_rule = [{
    allowed_methods = ["GET", "HEAD", "PUT", "POST"]
    allowed_origins = var.cors_origins
    allowed_headers = ["*"]
    expose_headers  = ["ETag"]
    max_age_seconds = 3000
  }]

  attach_deny_insecure_transport_policy = true
  attach_require_latest_tls_policy      = true
  attach_policy                         = true
  policy                                = data.aws_iam_policy_document.cloudfront_read.json
}

data "aws_iam_policy_document" "cloudfront_read" {
  statement {
    sid       = "CloudFrontReads"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::${var.bucket_name}/*"]

    principals {
      type        = "Service"
      identifiers = ["cloudfront.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "AWS:SourceArn"
      values   = [module.cdn.cloudfront_distribution_arn]
    }
  }
}

module "certificate" {
  source  = "terraform-aws-modules/acm/aws"
  version = "[[ versions.modules.acm ]]"

  region              = "us-east-1"
  domain_name         = var.cdn_host
  zone_id             = var.zone_id
  validation_method   = "DNS"
  wait_for_validation = true
}

module "cdn" {
  source  = "terraform-aws-modules/cloudfront/aws"
  version = "[[ versions.modules.cloudfront ]]"

  comment      = "Open edX media of ${var.cdn_host}"
  aliases      = [var.cdn_host]
  price_class  = var.price_class
  http_version = "http2and3"

  origin_access_control = {
    s3 = {
      # Names are unique in the account: one per environment.
      name             = var.bucket_name
      description      = "CloudFront reads ${var.bucket_name}"
      origin_type      = "s3"
      signing_behavior = "always"
      signing_protocol = "sigv4"
    }
  }

  origin = {
    s3 = {
      domain_name               = "${var.bucket_name}.s3.${data.aws_region.current.region}.amazonaws.com"
      origin_access_control_key = "s3"
    }
  }

  default_cache_behavior = {
    target_origin_id             = "s3"
    viewer_protocol_policy       = "redirect-to-https"
    allowed_methods              = ["GET", "HEAD", "OPTIONS"]
    cached_methods               = ["GET", "HEAD"]
    cache_policy_name            = "Managed-CachingOptimized"
    origin_request_policy_name   = "Managed-CORS-S3Origin"
    response_headers_policy_name = "Managed-CORS-With-Preflight"
  }

  viewer_certificate = {
    acm_certificate_arn = module.certificate.acm_certificate_arn
    ssl_support_method  = "sni-only"
  }
}

resource "aws_route53_record" "cdn" {
  for_each = toset(["A", "AAAA"])

  zone_id = var.zone_id
  name    = var.cdn_host
  type    = each.value

  alias {
    name                   = module.cdn.cloudfront_distribution_domain_name
    zone_id                = module.cdn.cloudfront_distribution_hosted_zone_id
    evaluate_target_health = false
  }
}

# Open edX (Tutor) writes media with this user's access key, kept in the Kubernetes secret `s3`.
resource "aws_iam_user" "openedx" {
  #checkov:skip=CKV_AWS_273:Tutor's S3 storage settings take a static access key; this user may only use the media bucket.
  name = "${var.bucket_name}-openedx"
}

resource "aws_iam_access_key" "openedx" {
  user = aws_iam_user.openedx.name
}

resource "aws_iam_group" "openedx" {
  name = "${var.bucket_name}-openedx"
}

resource "aws_iam_user_group_membership" "openedx" {
  user   = aws_iam_user.openedx.name
  groups = [aws_iam_group.openedx.name]
}

data "aws_iam_policy_document" "openedx" {
  statement {
    sid       = "ListBucket"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = [module.bucket.s3_bucket_arn]
  }

  statement {
    sid = "ReadWriteObjects"
    actions = [
      "s3:GetObject",
      "s3:PutObject",
      "s3:DeleteObject",
      "s3:GetObjectAttributes",
      "s3:AbortMultipartUpload",
      "s3:ListMultipartUploadParts",
    ]
    resources = ["${module.bucket.s3_bucket_arn}/*"]
  }
}

resource "aws_iam_group_policy" "openedx" {
  name   = "media-bucket"
  group  = aws_iam_group.openedx.name
  policy = data.aws_iam_policy_document.openedx.json
}
