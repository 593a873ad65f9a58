# The Kubernetes secrets and the ConfigMap through which the deploy workflow and Tutor learn how to
# reach the AWS services of this environment, and the service account the Open edX pods run as.
# Secret names and keys are a contract with scripts/tutor-deploy.sh (ci/tutor-deploy/
# cluster-secrets.txt lists what it reads); every value is a string.

resource "kubernetes_secret_v1" "mysql_root" {
  metadata {
    name      = "mysql-root"
    namespace = var.namespace
  }

  data = {
    host     = var.mysql.host
    port     = var.mysql.port
    username = var.mysql.username
    password = var.mysql.password
  }
}

resource "kubernetes_secret_v1" "mongodb" {
  count = var.mongodb_enabled ? 1 : 0

  metadata {
    name      = "mongodb"
    namespace = var.namespace
  }

  data = {
    host           = var.mongodb.host
    port           = var.mongodb.port
    username       = var.mongodb.username
    password       = var.mongodb.password
    auth_source    = var.mongodb.auth_source
    auth_mechanism = "SCRAM-SHA-1"
    use_ssl        = tostring(var.mongodb.use_ssl)
    replica_set    = var.mongodb.replica_set
    retry_writes   = tostring(var.mongodb.retry_writes)
  }
}

resource "kubernetes_secret_v1" "redis" {
  metadata {
    name      = "redis"
    namespace = var.namespace
  }

  # ElastiCache with in-transit TLS and an AUTH token (for the default user: no username). `ssl`
  # makes the devops Tutor plugin use rediss:// for every Redis client of Open edX.
  data = {
    host     = var.redis.host
    port     = var.redis.port
    username = ""
    password = var.redis.auth_token
    ssl      = tostring(var.redis.tls_enabled)
  }
}

resource "kubernetes_secret_v1" "smtp" {
  metadata {
    name      = "smtp"
    namespace = var.namespace
  }

  data = {
    host       = var.smtp.host
    port       = var.smtp.port
    username   = var.smtp.username
    password   = var.smtp.password
    use_tls    = "true"
    from_email = var.smtp.from_email
  }
}

resource "kubernetes_secret_v1" "s3" {
  metadata {
    name      = "s3"
    namespace = var.namespace
  }

  data = {
    bucket         = var.s3.bucket
    region         = var.aws_region
    cdn_domain     = var.s3.cdn_domain
    backups_bucket = var.s3.backups_bucket
  }
}

# LMS, Studio, their Celery workers and Tutor's init jobs run as this service account (the devops
# Tutor plugin patches Tutor's manifests); the storage unit binds it to the media bucket's IAM role
# with EKS Pod Identity. The other pods (Caddy, MFE, Meilisearch) keep the namespace's default
# account and get no AWS credentials. Open edX does not call the Kubernetes API: no token.
resource "kubernetes_service_account_v1" "openedx" {
  metadata {
    name      = var.service_account
    namespace = var.namespace
  }
  automount_service_account_token = false
}

resource "kubernetes_config_map_v1" "infrastructure" {
  metadata {
    name      = "openedx-infrastructure"
    namespace = var.namespace
  }

  data = {
    aws_region       = var.aws_region
    cluster_name     = var.cluster_name
    lms_host         = var.hosts["lms"]
    studio_host      = var.hosts["studio"]
    mfe_host         = var.hosts["mfe"]
    meilisearch_host = var.hosts["meilisearch"]
    cdn_host         = var.hosts["cdn"]
    grafana_host     = var.hosts["grafana"]
    ingress_class    = "traefik"
    cluster_issuer   = "letsencrypt"
    tls_secret       = "openedx-tls"
    storage_class    = "gp3"
    mysql_host       = var.hosts["mysql"]
    redis_host       = var.hosts["redis"]
    mongodb_host     = var.mongodb_enabled ? var.hosts["mongodb"] : ""
  }
}
