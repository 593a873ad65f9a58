# Amazon DocumentDB (MongoDB API) instead of MongoDB [[ versions.services.mongodb ]]. Caveats: it is
# not MongoDB 7, and it does not support retryable writes, so Open edX must connect with
# `retryWrites=false` and TLS (see docs/decisions/mongodb.md and the `mongodb` secret's keys).

resource "random_password" "master" {
  length  = 32
  special = false
}

resource "aws_kms_key" "documentdb" {
  description             = "DocumentDB storage of ${var.name}"
[% include "terraform/modules/_partials/kms-key.tf" %]
}

data "aws_caller_identity" "current" {}

module "security_group" {
  source  = "terraform-aws-modules/security-group/aws"
  version = "[[ versions.modules.security_group ]]"

  name            = "${var.name}-documentdb"
  use_name_prefix = false
  description     = "DocumentDB from inside the VPC"
  vpc_id          = var.vpc_id

  ingress_with_cidr_blocks = [{
    rule        = "mongodb-27017-tcp"
    cidr_blocks = var.vpc_cidr_block
    description = "DocumentDB from the VPC (nodes, bastion)"
  }]
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
  vpc_security_group_ids          = [module.security_group.security_group_id]

  storage_encrypted               = true
  kms_key_id                      = aws_kms_key.documentdb.arn
  backup_retention_period         = var.backup_retention_days
  preferred_backup_window         = "02:00-03:00"
  preferred_maintenance_window    = "sun:04:00-sun:05:00"
  enabled_cloudwatch_logs_exports = ["audit", "profiler"]
  deletion_protection             = var.deletion_protection
  skip_final_snapshot             = false
  final_snapshot_identifier       = "${var.name}-final"
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
