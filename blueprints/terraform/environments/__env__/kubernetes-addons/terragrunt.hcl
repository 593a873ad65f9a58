# Cluster services: Traefik, cert-manager, metrics-server, VPA, kube-prometheus-stack, storage class, web DNS records.
include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

terraform {
  source = "${dirname(find_in_parent_folders("root.hcl"))}/modules//kubernetes-addons"
}

dependency "eks" {
  config_path = "../eks"
  mock_outputs = {
    cluster_name                       = "mock"
    cluster_arn                        = "arn:aws:eks:us-east-1:000000000000:cluster/mock"
    cluster_endpoint                   = "https://mock.eks.amazonaws.com"
    cluster_certificate_authority_data = "bW9jaw=="
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan", "init"]
}

dependency "dns" {
  config_path = "../dns"
  mock_outputs = {
    zone_id = "Z00000000000000000000"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan", "init"]
}

inputs = {
  cluster_name                       = dependency.eks.outputs.cluster_name
  cluster_endpoint                   = dependency.eks.outputs.cluster_endpoint
  cluster_certificate_authority_data = dependency.eks.outputs.cluster_certificate_authority_data
  namespace                          = include.root.locals.env.namespace
  zone_id                            = dependency.dns.outputs.zone_id
  hosts = {
    lms         = include.root.locals.env.hosts.lms
    studio      = include.root.locals.env.hosts.studio
    mfe         = include.root.locals.env.hosts.mfe
    meilisearch = include.root.locals.env.hosts.meilisearch
    grafana     = include.root.locals.env.hosts.grafana
  }
}
