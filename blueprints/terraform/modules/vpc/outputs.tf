output "vpc_id" {
  description = "Id of the VPC."
  value       = module.vpc.vpc_id
}

output "vpc_cidr_block" {
  description = "IPv4 range of the VPC."
  value       = module.vpc.vpc_cidr_block
}

output "private_subnets" {
  description = "Ids of the private subnets (nodes, bastion, MongoDB)."
  value       = module.vpc.private_subnets
}

output "public_subnets" {
  description = "Ids of the public subnets (load balancers, NAT gateways)."
  value       = module.vpc.public_subnets
}

output "database_subnets" {
  description = "Ids of the database subnets."
  value       = module.vpc.database_subnets
}

output "database_subnet_group_name" {
  description = "Name of the RDS subnet group over the database subnets."
  value       = module.vpc.database_subnet_group_name
}

output "s3_endpoint_id" {
  description = "Id of the S3 gateway endpoint on the private route tables."
  value       = aws_vpc_endpoint.s3.id
}
