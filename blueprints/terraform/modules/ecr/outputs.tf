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
