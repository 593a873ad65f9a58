output "name" {
  description = "Name of the deploy role."
  value       = module.role.name
}

output "arn" {
  description = "ARN of the deploy role."
  value       = module.role.arn
}
