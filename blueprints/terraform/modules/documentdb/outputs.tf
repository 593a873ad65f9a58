output "host" {
  description = "Cluster endpoint: the name its TLS certificate carries, so clients connect to it."
  value       = aws_docdb_cluster.this.endpoint
}

output "dns_name" {
  description = "Friendly DNS name of the cluster (a CNAME of the endpoint)."
  value       = aws_route53_record.mongodb.fqdn
}

output "port" {
  description = "Port of the cluster."
  value       = tostring(aws_docdb_cluster.this.port)
}

output "username" {
  description = "Master user name."
  value       = aws_docdb_cluster.this.master_username
}

output "password" {
  description = "Master user password."
  value       = random_password.master.result
  sensitive   = true
}

output "auth_source" {
  description = "Authentication database."
  value       = "admin"
}

output "use_ssl" {
  description = "Whether clients must use TLS."
  value       = true
}

output "replica_set" {
  description = "Replica set name DocumentDB clusters use."
  value       = "rs0"
}

output "retry_writes" {
  description = "Whether clients may use retryable writes (DocumentDB: no)."
  value       = false
}
