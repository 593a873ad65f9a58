output "host" {
  description = "Primary endpoint: the name its TLS certificate carries, so clients connect to it."
  value       = module.redis.replication_group_primary_endpoint_address
}

output "dns_name" {
  description = "Friendly DNS name of the primary endpoint (a CNAME of it), for people."
  value       = aws_route53_record.redis.fqdn
}

output "port" {
  description = "Port of the cache."
  value       = "6379"
}

output "auth_token" {
  description = "AUTH token (password) of the cache's default user."
  value       = random_password.auth_token.result
  sensitive   = true
}

output "tls_enabled" {
  description = "Whether clients must connect with TLS (`rediss://`): yes, the cache requires it."
  value       = true
}
