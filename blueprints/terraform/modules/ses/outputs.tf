output "smtp_host" {
  description = "SES SMTP endpoint of the region."
  value       = "email-smtp.${data.aws_region.current.region}.amazonaws.com"
}

output "smtp_port" {
  description = "SMTP port (STARTTLS)."
  value       = "587"
}

output "smtp_username" {
  description = "SMTP user name (the IAM user's access key id)."
  value       = aws_iam_access_key.smtp.id
}

output "smtp_password" {
  description = "SMTP password derived from the IAM user's secret key."
  value       = aws_iam_access_key.smtp.ses_smtp_password_v4
  sensitive   = true
}

output "from_email" {
  description = "Sender address of the platform's e-mail."
  value       = local.from_email
}
