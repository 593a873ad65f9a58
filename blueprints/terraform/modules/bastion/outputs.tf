output "instance_id" {
  description = "Id of the bastion (`aws ssm start-session --target <id>`)."
  value       = module.instance.id
}

output "host" {
  description = "DNS name of the bastion."
  value       = aws_route53_record.bastion.fqdn
}

output "security_group_id" {
  description = "Security group of the bastion: the databases admit it."
  value       = aws_security_group.bastion.id
}
