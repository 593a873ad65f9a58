output "arn" {
  description = "ARN of the GitHub Actions OIDC provider."
  value       = module.provider.arn
}

output "url" {
  description = "Issuer URL of the provider."
  value       = module.provider.url
}
