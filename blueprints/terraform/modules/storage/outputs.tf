output "bucket" {
  description = "Name of the media bucket."
  value       = module.bucket.s3_bucket_id
}

output "cdn_domain" {
  description = "Host CloudFront serves the media at."
  value       = var.cdn_host
}

output "cloudfront_distribution_id" {
  description = "Id of the CloudFront distribution (for invalidations)."
  value       = module.cdn.cloudfront_distribution_id
}

output "access_key_id" {
  description = "Access key id of the IAM user Open edX writes media with."
  value       = aws_iam_access_key.openedx.id
}

output "secret_access_key" {
  description = "Secret access key of that IAM user."
  value       = aws_iam_access_key.openedx.secret
  sensitive   = true
}
