# Cluster services every environment needs: the Open edX namespace, a default encrypted gp3
# StorageClass, Traefik (ingress, behind a Network Load Balancer), cert-manager with Let's Encrypt
# issuers and the Open edX certificate, metrics-server, the vertical pod autoscaler,
# kube-prometheus-stack with Grafana, and the DNS records of the web hosts.
#
# CRDs on upgrade: Helm installs a chart's crds/ folder once and never upgrades it. Every chart
# here has its CRDs in templates (cert-manager), in a CRD chart of its own released before it
# (kube-prometheus-stack), none we use (Traefik), none at all (metrics-server), or an upgrade
# step by hand (the vertical pod autoscaler, below).

resource "kubernetes_namespace_v1" "openedx" {
  metadata {
    name = var.namespace
  }
}

resource "kubernetes_namespace_v1" "monitoring" {
  metadata {
    name = "monitoring"
  }
}

# Meilisearch, Caddy and Prometheus keep their data on these volumes.
resource "kubernetes_storage_class_v1" "gp3" {
  metadata {
    name = "gp3"
    annotations = {
      "storageclass.kubernetes.io/is-default-class" = "true"
    }
  }

  storage_provisioner    = "ebs.csi.aws.com"
  reclaim_policy         = "Delete"
  volume_binding_mode    = "WaitForFirstConsumer"
  allow_volume_expansion = true

  parameters = {
    type      = "gp3"
    encrypted = "true"
    fsType    = "ext4"
  }
}

resource "helm_release" "cert_manager" {
  name             = "cert-manager"
  namespace        = "cert-manager"
  create_namespace = true
  repository       = "https://charts.jetstack.io"
  chart            = "cert-manager"
  version          = "[[ versions.charts.cert_manager ]]"

  # The chart's CRDs are templates (crds.enabled), so every upgrade upgrades them; its default
  # crds.keep annotates them helm.sh/resource-policy: keep, so uninstalling keeps them.
  values = [yamlencode({
    crds = {
      enabled = true
    }
    replicaCount = 2
    podDisruptionBudget = {
      enabled = true
    }
  })]
}

resource "helm_release" "traefik" {
  name             = "traefik"
  namespace        = "traefik"
  create_namespace = true
  repository       = "https://traefik.github.io/charts"
  chart            = "traefik"
  version          = "[[ versions.charts.traefik ]]"

  # Routing is Kubernetes Ingress only (no IngressRoute, Middleware or TLSOption): the CRD
  # provider is off, so Traefik neither reads nor needs its CRDs and no upgrade waits on them.
  skip_crds = true

  values = [yamlencode({
    deployment = {
      replicas = var.ingress_replicas
    }
    podDisruptionBudget = {
      enabled        = true
      maxUnavailable = 1
    }
    ingressClass = {
      enabled        = true
      isDefaultClass = true
      name           = "traefik"
    }
    providers = {
      kubernetesCRD = {
        enabled = false
      }
      kubernetesIngress = {
        publishedService = {
          enabled = true
        }
      }
    }
    ports = {
      web = {
        # Everything on port 80 is redirected to HTTPS, except ACME HTTP-01 challenges.
        allowACMEByPass = true
        http = {
          redirections = {
            entryPoint = {
              to        = "websecure"
              scheme    = "https"
              permanent = true
            }
          }
        }
      }
    }
    service = {
      annotations = {
        "service.beta.kubernetes.io/aws-load-balancer-type"                              = "nlb"
        "service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled" = "true"
      }
      spec = {
        type = "LoadBalancer"
        # Keeps the clients' addresses (Open edX logs and rate limits by them).
        externalTrafficPolicy = "Local"
      }
    }
  })]
}

resource "helm_release" "metrics_server" {
  name       = "metrics-server"
  namespace  = "kube-system"
  repository = "https://kubernetes-sigs.github.io/metrics-server/"
  chart      = "metrics-server"
  version    = "[[ versions.charts.metrics_server ]]"
}

# Its two CRDs are in the chart's crds/, which Helm never upgrades, and upstream publishes no CRD
# chart (its README, "Custom Resource Definitions": apply them by hand). After a bump of this
# pin and before applying it, apply the new version's CRDs (--force-conflicts: Helm created them):
#   helm show crds vertical-pod-autoscaler --repo https://kubernetes.github.io/autoscaler \
#     --version [[ versions.charts.vertical_pod_autoscaler ]] | kubectl apply --server-side --force-conflicts -f -
resource "helm_release" "vertical_pod_autoscaler" {
  name       = "vertical-pod-autoscaler"
  namespace  = "kube-system"
  repository = "https://kubernetes.github.io/autoscaler"
  chart      = "vertical-pod-autoscaler"
  version    = "[[ versions.charts.vertical_pod_autoscaler ]]"

  depends_on = [helm_release.metrics_server]
}

resource "random_password" "grafana_admin" {
  length  = 32
  special = false
}

resource "kubernetes_secret_v1" "grafana_admin" {
  metadata {
    name      = "grafana-admin"
    namespace = kubernetes_namespace_v1.monitoring.metadata[0].name
  }

  data = {
    admin-user     = "admin"
    admin-password = random_password.grafana_admin.result
  }
}

# The Prometheus Operator's CRDs as their own release: kube-prometheus-stack has them in a
# subchart's crds/, which Helm never upgrades, and changes them with every major version. This
# chart has them as templates, so each upgrade upgrades them; its appVersion (the operator's
# version) must equal kube-prometheus-stack's (_versions.yml).
resource "helm_release" "prometheus_operator_crds" {
  name       = "prometheus-operator-crds"
  namespace  = kubernetes_namespace_v1.monitoring.metadata[0].name
  repository = "https://prometheus-community.github.io/helm-charts"
  chart      = "prometheus-operator-crds"
  version    = "[[ versions.charts.prometheus_operator_crds ]]"

  # Clusters made before this release have the CRDs from kube-prometheus-stack's crds/, without
  # Helm's ownership labels: adopt them.
  take_ownership = true

  # Uninstalling this chart deletes its CRDs and so every Prometheus, Alertmanager and
  # ServiceMonitor (its README): keep them.
  values = [yamlencode({
    crds = {
      annotations = {
        "helm.sh/resource-policy" = "keep"
      }
    }
  })]
}

resource "helm_release" "kube_prometheus_stack" {
  name       = "kube-prometheus-stack"
  namespace  = kubernetes_namespace_v1.monitoring.metadata[0].name
  repository = "https://prometheus-community.github.io/helm-charts"
  chart      = "kube-prometheus-stack"
  version    = "[[ versions.charts.kube_prometheus_stack ]]"
  timeout    = 900

  # The CRDs come from helm_release.prometheus_operator_crds, which upgrades them.
  skip_crds = true

  values = [yamlencode({
    # Its `crds` subchart, whose crds/ holds the same CRDs, off. That removes nothing: Helm never
    # deletes CRDs it installed from crds/.
    crds = {
      enabled = false
    }
    grafana = {
      admin = {
        existingSecret = kubernetes_secret_v1.grafana_admin.metadata[0].name
        userKey        = "admin-user"
        passwordKey    = "admin-password"
      }
      persistence = {
        enabled = true
        size    = "10Gi"
      }
      ingress = {
        enabled          = true
        ingressClassName = "traefik"
        annotations = {
          "cert-manager.io/cluster-issuer" = "letsencrypt"
        }
        hosts = [var.hosts.grafana]
        tls = [{
          secretName = "grafana-tls"
          hosts      = [var.hosts.grafana]
        }]
      }
    }
    prometheus = {
      prometheusSpec = {
        retention = var.prometheus_retention
        storageSpec = {
          volumeClaimTemplate = {
            spec = {
              storageClassName = kubernetes_storage_class_v1.gp3.metadata[0].name
              accessModes      = ["ReadWriteOnce"]
              resources = {
                requests = {
                  storage = var.prometheus_storage_size
                }
              }
            }
          }
        }
      }
    }
  })]

  depends_on = [helm_release.traefik, helm_release.cert_manager, helm_release.prometheus_operator_crds]
}

resource "helm_release" "openedx_tls" {
  name      = "openedx-tls"
  namespace = "cert-manager"
  chart     = "${path.module}/chart"

  values = [yamlencode({
    namespace = kubernetes_namespace_v1.openedx.metadata[0].name
    acmeEmail = var.acme_email
    # Every web host but Grafana's (its own certificate): Open edX's first, then the plugins'.
    dnsNames = concat(
      [var.hosts.lms, var.hosts.studio, var.hosts.mfe, var.hosts.meilisearch],
      [for key, host in var.hosts : host if !contains(["lms", "studio", "mfe", "meilisearch", "grafana"], key)],
    )
  })]

  depends_on = [helm_release.cert_manager, helm_release.traefik]
}

# The Network Load Balancer that the cloud provider made for Traefik's Service.
data "aws_lb" "ingress" {
  tags = {
    "kubernetes.io/cluster/${var.cluster_name}" = "owned"
    "kubernetes.io/service-name"                = "traefik/traefik"
  }

  depends_on = [helm_release.traefik]
}

resource "aws_route53_record" "web" {
  for_each = { for key, host in var.hosts : key => host }

  zone_id = var.zone_id
  name    = each.value
  type    = "A"

  alias {
    name                   = data.aws_lb.ingress.dns_name
    zone_id                = data.aws_lb.ingress.zone_id
    evaluate_target_health = true
  }
}
