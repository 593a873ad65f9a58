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

output "openedx_role_arn" {
  description = "IAM role the Open edX pods use for the media bucket (EKS Pod Identity)."
  value       = module.openedx_role.arn
}

output "service_account" {
  description = "Kubernetes service account bound to that role."
  value       = aws_eks_pod_identity_association.openedx.service_account
}
