output "host" {
  description = "DNS name of the primary endpoint."
  value       = aws_route53_record.redis.fqdn
}

output "port" {
  description = "Port of the cache."
  value       = "6379"
}
