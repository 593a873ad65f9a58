output "repository_urls" {
  description = "Repository URLs by name (`<account>.dkr.ecr.<region>.amazonaws.com/<name>`)."
  value       = { for name, repository in aws_ecr_repository.this : name => repository.repository_url }
}

output "repository_arns" {
  description = "Repository ARNs."
  value       = [for repository in aws_ecr_repository.this : repository.arn]
}

output "kms_key_arn" {
  description = "KMS key that encrypts the images."
  value       = aws_kms_key.ecr.arn
}

output "ecr_public_cache_prefix" {
  description = "Image prefix that pulls public.ecr.aws images through this registry: `<prefix>/<path>:<tag>` for `public.ecr.aws/<path>:<tag>`."
  value       = "${data.aws_caller_identity.current.account_id}.dkr.ecr.${data.aws_region.current.region}.amazonaws.com/${aws_ecr_pull_through_cache_rule.ecr_public.ecr_repository_prefix}"
}
