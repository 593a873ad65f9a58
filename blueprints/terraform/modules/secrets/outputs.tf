output "secret_names" {
  description = "Kubernetes secrets written in the Open edX namespace."
  value = concat(
    [
      kubernetes_secret_v1.mysql_root.metadata[0].name,
      kubernetes_secret_v1.redis.metadata[0].name,
      kubernetes_secret_v1.smtp.metadata[0].name,
      kubernetes_secret_v1.s3.metadata[0].name,
    ],
    [for secret in kubernetes_secret_v1.mongodb : secret.metadata[0].name],
  )
}
