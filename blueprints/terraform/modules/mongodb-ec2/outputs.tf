output "host" {
  description = "DNS name of the MongoDB server."
  value       = aws_route53_record.mongodb.fqdn
}

output "port" {
  description = "Port of MongoDB."
  value       = "27017"
}

output "username" {
  description = "The application user Open edX connects as (readWrite on its databases; authentication database `admin`)."
  value       = "openedx"
}

output "password" {
  description = "Password of the application user."
  value       = random_password.users["openedx"].result
  sensitive   = true
}

output "backup_username" {
  description = "The user of the dump CronJob (built-in `backup` role)."
  value       = "backup"
}

output "backup_password" {
  description = "Password of the backup user."
  value       = random_password.users["backup"].result
  sensitive   = true
}

output "admin_secret_parameter" {
  description = "SSM parameter holding the password of `admin` (root), for operators and restores."
  value       = aws_ssm_parameter.password["admin"].name
}

output "auth_source" {
  description = "Authentication database."
  value       = "admin"
}

output "use_ssl" {
  description = "Whether clients must use TLS."
  value       = false
}

output "replica_set" {
  description = "Replica set name (none: a standalone server)."
  value       = ""
}

output "retry_writes" {
  description = "Whether clients may use retryable writes."
  value       = true
}

output "instance_id" {
  description = "Id of the EC2 instance (for `aws ssm start-session`)."
  value       = module.instance.id
}
