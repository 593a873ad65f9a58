output "node_iam_role_name" {
  description = "IAM role of the nodes Karpenter launches."
  value       = module.karpenter.node_iam_role_name
}

output "queue_name" {
  description = "SQS queue of spot interruption and instance events."
  value       = module.karpenter.queue_name
}
