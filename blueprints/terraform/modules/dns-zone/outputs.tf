output "zone_id" {
  description = "Id of the environment's hosted zone."
  value       = aws_route53_zone.this.zone_id
}

output "zone_name" {
  description = "Name of the environment's hosted zone (its domain)."
  value       = aws_route53_zone.this.name
}

output "name_servers" {
  description = "Name servers of the environment's hosted zone."
  value       = aws_route53_zone.this.name_servers
}
