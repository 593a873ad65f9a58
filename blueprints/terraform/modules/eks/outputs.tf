output "cluster_name" {
  description = "Name of the EKS cluster."
  value       = module.eks.cluster_name
}

output "cluster_arn" {
  description = "ARN of the EKS cluster."
  value       = module.eks.cluster_arn
}

output "cluster_endpoint" {
  description = "URL of the Kubernetes API."
  value       = module.eks.cluster_endpoint
}

output "cluster_certificate_authority_data" {
  description = "Base64-encoded certificate authority of the Kubernetes API."
  value       = module.eks.cluster_certificate_authority_data
}

output "node_security_group_id" {
  description = "Security group of the nodes."
  value       = module.eks.node_security_group_id
}

output "node_group_iam_role_name" {
  description = "IAM role of the nodes of the managed node group `default` (Karpenter's nodes have their own, output of the karpenter unit)."
  value       = module.eks.eks_managed_node_groups["default"].iam_role_name
}

output "ecr_pull_through_policy_arn" {
  description = "IAM policy that lets nodes pull through the ECR cache of public.ecr.aws (Karpenter's node role attaches it too)."
  value       = aws_iam_policy.ecr_pull_through.arn
}
