# Daily logical backups to a private, versioned, encrypted bucket: Kubernetes CronJobs dump MySQL
# (all Open edX databases) and MongoDB (when it runs on EC2 or in the cluster; DocumentDB keeps its
# own automated backups), then upload the dump with the AWS CLI. MongoDB on EC2 is dumped by its
# `backup` user (built-in backup role), whose credentials this module keeps in its own secret. The CronJobs' service account
# gets write access to the bucket through EKS Pod Identity; dumps expire after `retention_days`.
# RDS automated backups (point-in-time recovery) run besides these.

locals {
  service_account = "openedx-backup"
  dump_mongodb    = var.mongodb_mode != "documentdb"

  # Where the dump goes in the bucket, with a UTC timestamp taken when the upload starts.
  upload_script = <<-SCRIPT
    set -eu
    stamp="$(date -u +%Y-%m-%dT%H%M%SZ)"
    aws s3 cp "/backup/$DUMP_FILE" "s3://$BACKUP_BUCKET/$DUMP_PREFIX/$stamp-$DUMP_FILE" --sse AES256 --only-show-errors
    echo "uploaded s3://$BACKUP_BUCKET/$DUMP_PREFIX/$stamp-$DUMP_FILE"
  SCRIPT

  mysql_dump_script = <<-SCRIPT
    set -eu
    umask 077
    printf '[client]\nhost=%s\nport=%s\nuser=%s\npassword=%s\n' \
      "$MYSQL_HOST" "$MYSQL_PORT" "$MYSQL_USERNAME" "$MYSQL_PASSWORD" > /tmp/client.cnf
    databases="$(mysql --defaults-extra-file=/tmp/client.cnf -N -e 'SHOW DATABASES' \
      | grep -Ev '^(information_schema|performance_schema|mysql|sys)$' | tr '\n' ' ')"
    mysqldump --defaults-extra-file=/tmp/client.cnf --single-transaction --quick --routines \
      --events --triggers --set-gtid-purged=OFF --databases $databases | gzip > /backup/mysql.sql.gz
  SCRIPT

  mongodb_in_cluster_dump_script = <<-SCRIPT
    set -eu
    mongodump --host mongodb --port 27017 --gzip --archive=/backup/mongodb.archive.gz
  SCRIPT

  mongodb_dump_script = <<-SCRIPT
    set -eu
    umask 077
    printf 'password: "%s"\n' "$MONGODB_PASSWORD" > /tmp/mongodump.yaml
    mongodump --host "$MONGODB_HOST" --port "$MONGODB_PORT" --username "$MONGODB_USERNAME" \
      --authenticationDatabase "$MONGODB_AUTH_SOURCE" --config /tmp/mongodump.yaml \
      --gzip --archive=/backup/mongodb.archive.gz
  SCRIPT

  all_jobs = {
    mysql = {
      image  = "[[ versions.services.mysql_image | replace("public.ecr.aws", ecr_public_cache) ]]"
      script = local.mysql_dump_script
      file   = "mysql.sql.gz"
      secret = "mysql-root"
      env = tomap({
        MYSQL_HOST     = "host"
        MYSQL_PORT     = "port"
        MYSQL_USERNAME = "username"
        MYSQL_PASSWORD = "password"
      })
    }
    mongodb = {
      image  = "[[ versions.services.mongodb_image | replace("public.ecr.aws", ecr_public_cache) ]]"
      script = var.mongodb_mode == "in_cluster" ? local.mongodb_in_cluster_dump_script : local.mongodb_dump_script
      file   = "mongodb.archive.gz"
      secret = var.mongodb_mode == "ec2" ? "mongodb-backup" : "mongodb"
      env = var.mongodb_mode == "in_cluster" ? tomap({}) : tomap({
        MONGODB_HOST        = "host"
        MONGODB_PORT        = "port"
        MONGODB_USERNAME    = "username"
        MONGODB_PASSWORD    = "password"
        MONGODB_AUTH_SOURCE = "auth_source"
      })
    }
  }
  jobs = { for key, job in local.all_jobs : key => job if key == "mysql" || local.dump_mongodb }
}

module "bucket" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "[[ versions.modules.s3_bucket ]]"

  bucket = var.bucket_name

[% include "terraform/modules/_partials/private-bucket.tf" %]

  lifecycle_rule = [{
    id      = "expire-dumps"
    enabled = true
    # No `filter` key: for a rule over every object the module (s3-bucket 5.15.4) then writes the
    # empty `filter {}` block the aws provider 6 docs give. `filter = {}` wrote no filter at all,
    # which the provider warns about (one of `filter` or `prefix` is required).
    expiration = {
      days = var.retention_days
    }
    noncurrent_version_expiration = {
      noncurrent_days = 7
    }
    abort_incomplete_multipart_upload_days = 1
  }]

  attach_deny_insecure_transport_policy = true
  attach_require_latest_tls_policy      = true
}

module "role" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role"
  version = "[[ versions.modules.iam ]]"

  name            = "${var.name}-backup"
  use_name_prefix = false
  description     = "Backup CronJobs of ${var.name}: write dumps to ${var.bucket_name}"

[% include "terraform/modules/_partials/pod-identity-trust.tf" %]

  create_inline_policy = true
  inline_policy_permissions = {
    WriteDumps = {
      actions   = ["s3:PutObject", "s3:AbortMultipartUpload"]
      resources = ["${module.bucket.s3_bucket_arn}/*"]
    }
  }
}

resource "aws_eks_pod_identity_association" "backup" {
  cluster_name    = var.cluster_name
  namespace       = var.namespace
  service_account = local.service_account
  role_arn        = module.role.arn
}

resource "kubernetes_service_account_v1" "backup" {
  metadata {
    name      = local.service_account
    namespace = var.namespace
  }
  automount_service_account_token = false
}

# MongoDB on EC2: the dump's own credentials, apart from Open edX's `mongodb` secret.
resource "kubernetes_secret_v1" "mongodb_backup" {
  count = var.mongodb_mode == "ec2" ? 1 : 0

  metadata {
    name      = "mongodb-backup"
    namespace = var.namespace
  }

  data = {
    host        = var.mongodb_backup.host
    port        = var.mongodb_backup.port
    username    = var.mongodb_backup.username
    password    = var.mongodb_backup.password
    auth_source = "admin"
  }
}

resource "kubernetes_cron_job_v1" "backup" {
  for_each = local.jobs

  metadata {
    name      = "backup-${each.key}"
    namespace = var.namespace
  }

  spec {
    schedule                      = var.schedule
    concurrency_policy            = "Forbid"
    successful_jobs_history_limit = 3
    failed_jobs_history_limit     = 3

    job_template {
      metadata {}

      spec {
        backoff_limit              = 2
        ttl_seconds_after_finished = 86400

        template {
          metadata {
            labels = {
              "app.kubernetes.io/name"      = "backup-${each.key}"
              "app.kubernetes.io/component" = "backup"
            }
          }

          spec {
            service_account_name            = kubernetes_service_account_v1.backup.metadata[0].name
            automount_service_account_token = false
            restart_policy                  = "OnFailure"

            security_context {
              run_as_non_root = true
              run_as_user     = 999
              run_as_group    = 999
              fs_group        = 999
              seccomp_profile {
                type = "RuntimeDefault"
              }
            }

            # 1. Dump to a scratch volume.
            init_container {
              name              = "dump"
              image             = each.value.image
              image_pull_policy = "Always"
              command           = ["/bin/bash", "-c", each.value.script]

              dynamic "env" {
                for_each = each.value.env
                content {
                  name = env.key
                  value_from {
                    secret_key_ref {
                      name = each.value.secret
                      key  = env.value
                    }
                  }
                }
              }

              security_context {
                allow_privilege_escalation = false
                read_only_root_filesystem  = true
                capabilities {
                  drop = ["ALL"]
                }
              }

              resources {
                requests = {
                  cpu    = "100m"
                  memory = "256Mi"
                }
                limits = {
                  cpu    = "1"
                  memory = "1Gi"
                }
              }

              volume_mount {
                name       = "backup"
                mount_path = "/backup"
              }
              volume_mount {
                name       = "tmp"
                mount_path = "/tmp"
              }
            }

            # 2. Upload it with the Pod Identity credentials.
            container {
              name              = "upload"
              image             = "[[ versions.services.aws_cli_image | replace("public.ecr.aws", ecr_public_cache) ]]"
              image_pull_policy = "Always"
              command           = ["/bin/bash", "-c", local.upload_script]

              env {
                name  = "BACKUP_BUCKET"
                value = module.bucket.s3_bucket_id
              }
              env {
                name  = "DUMP_PREFIX"
                value = each.key
              }
              env {
                name  = "DUMP_FILE"
                value = each.value.file
              }
              env {
                name  = "HOME"
                value = "/tmp"
              }
              # The AWS CLI would start at us-east-1 and follow S3's redirect, its first request
              # bypassing the VPC's S3 gateway endpoint.
              env {
                name  = "AWS_DEFAULT_REGION"
                value = data.aws_region.current.region
              }

              security_context {
                allow_privilege_escalation = false
                read_only_root_filesystem  = true
                capabilities {
                  drop = ["ALL"]
                }
              }

              resources {
                requests = {
                  cpu    = "100m"
                  memory = "128Mi"
                }
                limits = {
                  cpu    = "500m"
                  memory = "512Mi"
                }
              }

              volume_mount {
                name       = "backup"
                mount_path = "/backup"
                read_only  = true
              }
              volume_mount {
                name       = "tmp"
                mount_path = "/tmp"
              }
            }

            volume {
              name = "backup"
              empty_dir {
                size_limit = "20Gi"
              }
            }
            volume {
              name = "tmp"
              empty_dir {
                size_limit = "1Gi"
              }
            }
          }
        }
      }
    }
  }

  depends_on = [aws_eks_pod_identity_association.backup, kubernetes_secret_v1.mongodb_backup]
}
