output "project_name" {
  description = "Name of the CodeBuild project: the workflows' runner label is `codebuild-<project_name>-<run id>-<run attempt>`."
  value       = aws_codebuild_project.runner.name
}

output "security_group_id" {
  description = "Security group of the runner's builds (outbound HTTPS only; no database admits it)."
  value       = aws_security_group.runner.id
}

output "role_arn" {
  description = "ARN of the project's service role."
  value       = module.role.arn
}
