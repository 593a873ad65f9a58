# Cluster services: Traefik, cert-manager, metrics-server, VPA, kube-prometheus-stack, storage class, web DNS records.
include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

terraform {
  source = "${dirname(find_in_parent_folders("root.hcl"))}/modules//kubernetes-addons"
}

[% include "terraform/environments/__env__/_dependencies/eks.hcl" %]

[% include "terraform/environments/__env__/_dependencies/dns.hcl" %]

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
