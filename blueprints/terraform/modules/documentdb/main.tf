# Amazon DocumentDB (MongoDB API) instead of MongoDB [[ versions.services.mongodb ]]. Caveats: it is
# not MongoDB 7, and it does not support retryable writes, so Open edX must connect with
# `retryWrites=false` and TLS (the `mongodb` secret's keys `retry_writes` and `use_ssl` say so).

locals {
  # Who may connect: the EKS nodes (Open edX, backups) and the bastion when there is one.
  clients = {
    for name, id in { "EKS nodes" = var.node_security_group_id, bastion = var.bastion_security_group_id } :
    name => id if id != null
  }
}

resource "random_password" "master" {
  length  = 32
  special = false
}

resource "aws_kms_key" "documentdb" {
  description             = "DocumentDB storage of ${var.name}"
[% include "terraform/modules/_partials/kms-key.tf" %]
}

data "aws_caller_identity" "current" {}

[% set data_store = {"engine": "DocumentDB", "name": "${var.name}-documentdb", "port": 27017} %]
[% include "terraform/modules/_partials/data-store-security-group.tf" %]

# A suffix for the final snapshot's name, drawn once per cluster: a cluster created again after
# a destroy gets a new one, so its own final snapshot never collides with the last one's (AWS
# refuses an existing snapshot name). Stable across plans, as it lives in the state.
resource "random_id" "final_snapshot" {
  byte_length = 4

  keepers = {
    cluster_identifier = var.name
  }
}

resource "aws_docdb_subnet_group" "this" {
  name       = var.name
  subnet_ids = var.subnet_ids
}

resource "aws_docdb_cluster_parameter_group" "this" {
  name        = "${var.name}-docdb"
  family      = "docdb[[ versions.services.documentdb | split(".") | first ]].0"
  description = "Open edX settings of ${var.name}"

  parameter {
    name  = "tls"
    value = "enabled"
  }

  parameter {
    name  = "audit_logs"
    value = "enabled"
  }

  parameter {
    name  = "profiler"
    value = "enabled"
  }
}

resource "aws_docdb_cluster" "this" {
  cluster_identifier              = var.name
  engine                          = "docdb"
  engine_version                  = "[[ versions.services.documentdb ]]"
  master_username                 = "openedx"
  master_password                 = random_password.master.result
  db_subnet_group_name            = aws_docdb_subnet_group.this.name
  db_cluster_parameter_group_name = aws_docdb_cluster_parameter_group.this.name
  vpc_security_group_ids          = [aws_security_group.this.id]

  storage_encrypted               = true
  kms_key_id                      = aws_kms_key.documentdb.arn
  backup_retention_period         = var.backup_retention_days
  preferred_backup_window         = "02:00-03:00"
  preferred_maintenance_window    = "sun:04:00-sun:05:00"
  enabled_cloudwatch_logs_exports = ["audit", "profiler"]
  deletion_protection             = var.deletion_protection
  skip_final_snapshot             = false
  final_snapshot_identifier       = "${var.name}-final-${random_id.final_snapshot.hex}"
}

resource "aws_docdb_cluster_instance" "this" {
  count = var.instance_count

  identifier                 = "${var.name}-${count.index + 1}"
  cluster_identifier         = aws_docdb_cluster.this.id
  instance_class             = var.instance_class
  auto_minor_version_upgrade = true
}

resource "aws_route53_record" "mongodb" {
  zone_id = var.zone_id
  name    = var.host
  type    = "CNAME"
  ttl     = 300
  records = [aws_docdb_cluster.this.endpoint]
}
