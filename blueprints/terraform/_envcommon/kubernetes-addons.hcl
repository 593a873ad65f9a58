# Cluster services: Traefik, cert-manager, metrics-server, VPA, kube-prometheus-stack, storage class, web DNS records.
# Included by every environment's `kubernetes-addons` unit; inputs set in a unit win over these.
locals {
  # Evaluated for the including unit: get_terragrunt_dir() and find_in_parent_folders start from
  # its folder, so this is its environment's env.hcl.
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
}

terraform {
  source = "${dirname(find_in_parent_folders("root.hcl"))}/modules//kubernetes-addons"
}

[% include "terraform/_envcommon/_dependencies/eks.hcl" %]

[% include "terraform/_envcommon/_dependencies/dns.hcl" %]

# These charts' pods run on Karpenter's nodes (the system nodes admit only critical add-ons), and
# their releases wait for them to be ready: Karpenter comes first.
dependencies {
  paths = ["${get_terragrunt_dir()}/../karpenter"]
}

inputs = {
  cluster_name                       = dependency.eks.outputs.cluster_name
  cluster_endpoint                   = dependency.eks.outputs.cluster_endpoint
  cluster_certificate_authority_data = dependency.eks.outputs.cluster_certificate_authority_data
  namespace                          = local.env.namespace
  zone_id                            = dependency.dns.outputs.zone_id
  acme_email                         = local.env.acme_email
[% if answers.tutor_plugins %]
  # The Open edX hosts, Grafana, and the hosts of the Tutor plugins (env.hcl: plugin_hosts).
  hosts = merge({
    lms         = local.env.hosts.lms
    studio      = local.env.hosts.studio
    mfe         = local.env.hosts.mfe
    meilisearch = local.env.hosts.meilisearch
    grafana     = local.env.hosts.grafana
  }, { for key in local.env.plugin_hosts : key => local.env.hosts[key] })
[% else %]
  hosts = {
    lms         = local.env.hosts.lms
    studio      = local.env.hosts.studio
    mfe         = local.env.hosts.mfe
    meilisearch = local.env.hosts.meilisearch
    grafana     = local.env.hosts.grafana
  }
[% endif %]
}
