output "host" {
  description = "DNS name of the MongoDB server."
  value       = aws_route53_record.mongodb.fqdn
}

output "port" {
  description = "Port of MongoDB."
  value       = "27017"
}

output "username" {
  description = "MongoDB admin user (authentication database `admin`)."
  value       = "admin"
}

output "password" {
  description = "Password of the MongoDB admin user."
  value       = random_password.admin.result
  sensitive   = true
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
