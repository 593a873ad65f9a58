output "name" {
  description = "Name of the deploy role."
  value       = module.role.name
}

output "arn" {
  description = "ARN of the deploy role."
  value       = module.role.arn
}

output "tutor_generated_secret_arn" {
  description = "ARN of the Secrets Manager copy of tutor-generated."
  value       = aws_secretsmanager_secret.tutor_generated.arn
}

output "tutor_generated_kms_key_arn" {
  description = "ARN of the KMS key that encrypts it."
  value       = aws_kms_key.tutor_generated.arn
}
