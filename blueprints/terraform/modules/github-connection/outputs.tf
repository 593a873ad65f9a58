output "arn" {
  description = "ARN of the connection, the CI runners' GitHub source credential."
  value       = aws_codeconnections_connection.github.arn
}

output "status" {
  description = "PENDING until a person authorises the connection in the console, then AVAILABLE."
  value       = aws_codeconnections_connection.github.connection_status
}
