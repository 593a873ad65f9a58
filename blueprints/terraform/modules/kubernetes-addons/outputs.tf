output "namespace" {
  description = "Kubernetes namespace of Open edX."
  value       = kubernetes_namespace_v1.openedx.metadata[0].name
}

output "ingress_class" {
  description = "Ingress class of Traefik."
  value       = "traefik"
}

output "cluster_issuer" {
  description = "cert-manager ClusterIssuer of Let's Encrypt certificates."
  value       = "letsencrypt"
}

output "tls_secret" {
  description = "Secret (in the Open edX namespace) with the certificate of lms, studio, mfe and meilisearch."
  value       = "openedx-tls"
}

output "storage_class" {
  description = "Default StorageClass."
  value       = kubernetes_storage_class_v1.gp3.metadata[0].name
}

output "load_balancer_dns_name" {
  description = "DNS name of the ingress Network Load Balancer."
  value       = data.aws_lb.ingress.dns_name
}

output "grafana_admin_password" {
  description = "Password of Grafana's `admin` user (also in secret monitoring/grafana-admin)."
  value       = random_password.grafana_admin.result
  sensitive   = true
}
