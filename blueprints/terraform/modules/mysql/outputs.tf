output "host" {
  description = "DNS name of the database (a CNAME of the RDS endpoint)."
  value       = aws_route53_record.mysql.fqdn
}

output "endpoint_address" {
  description = "Address of the RDS endpoint."
  value       = module.rds.db_instance_address
}

output "port" {
  description = "Port of the database."
  value       = tostring(module.rds.db_instance_port)
}

output "username" {
  description = "Master user name."
  value       = "root"
}

output "password" {
  description = "Master user password."
  value       = random_password.master.result
  sensitive   = true
}
