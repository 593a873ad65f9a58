# Open edX's media bucket: private, versioned, encrypted. CloudFront serves only its public
# prefixes (`public_prefixes`, what the devops Tutor plugin stores under `media/`) at the CDN host
# with origin access control; everything else (grade reports and ORA2 uploads under `private/`,
# course import and export archives at the top level) is reachable only by Open edX, which hands
# out signed S3 URLs. The certificate of the CDN host is in us-east-1, as CloudFront requires.
# Open edX's pods reach the bucket through EKS Pod Identity (an IAM role, no access key).

data "aws_region" "current" {}

module "bucket" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "[[ versions.modules.s3_bucket ]]"

  bucket = var.bucket_name

[% include "terraform/modules/_partials/private-bucket.tf" %]

  # No `filter`: the module then writes an empty filter block (every object). An explicit
  # `filter = {}` makes it write none, which the aws provider warns about and will reject.
  lifecycle_rule = [{
    id      = "expire-old-versions"
    enabled = true
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

# CloudFront may read the public prefixes only: a grade report or an ORA2 upload requested at the
# CDN host gets 403 from S3 instead of the file.
data "aws_iam_policy_document" "cloudfront_read" {
  statement {
    sid       = "CloudFrontReadsPublicPrefixes"
    actions   = ["s3:GetObject"]
    resources = [for prefix in var.public_prefixes : "arn:aws:s3:::${var.bucket_name}/${prefix}*"]

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

# Open edX (LMS, Studio, their workers and init jobs, under the Kubernetes service account
# `service_account` that the secrets unit creates and the devops Tutor plugin sets) reads and
# writes the bucket with this role through EKS Pod Identity: boto3 gets short-lived credentials
# from the Pod Identity agent, and no access key exists.
module "openedx_role" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role"
  version = "[[ versions.modules.iam ]]"

  name            = "${var.bucket_name}-openedx"
  use_name_prefix = false
  description     = "Open edX pods of ${var.namespace}: read and write ${var.bucket_name}"

[% include "terraform/modules/_partials/pod-identity-trust.tf" %]

  create_inline_policy = true
  inline_policy_permissions = {
    ListBucket = {
      actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
      resources = [module.bucket.s3_bucket_arn]
    }
    ReadWriteObjects = {
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
}

resource "aws_eks_pod_identity_association" "openedx" {
  cluster_name    = var.cluster_name
  namespace       = var.namespace
  service_account = var.service_account
  role_arn        = module.openedx_role.arn
}
