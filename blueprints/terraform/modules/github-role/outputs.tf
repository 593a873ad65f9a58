output "name" {
  description = "Name of the role."
  value       = module.role.name
}

output "arn" {
  description = "ARN of the role (`role-to-assume` of aws-actions/configure-aws-credentials)."
  value       = module.role.arn
}
