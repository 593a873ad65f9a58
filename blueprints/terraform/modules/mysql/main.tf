# RDS MySQL [[ versions.services.mysql ]] for Open edX: private, encrypted, automated backups, a
# CNAME in the environment's zone. The master password is generated here, written to RDS
# write-only (it never enters the plan), and handed to Kubernetes by the secrets unit.

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

[% set data_store = {"engine": "MySQL", "name": "${var.identifier}-mysql", "port": 3306, "attached_by": "the RDS module"} %]
[% include "terraform/modules/_partials/data-store-security-group.tf" %]

module "rds" {
  source  = "terraform-aws-modules/rds/aws"
  version = "[[ versions.modules.rds ]]"

  identifier = var.identifier

  engine               = "mysql"
  engine_version       = "[[ versions.services.mysql ]]"
  major_engine_version = "[[ versions.services.mysql ]]"
  family               = "[[ versions.services.mysql_family ]]"
  instance_class       = var.instance_class

  allocated_storage     = var.allocated_storage
  max_allocated_storage = var.max_allocated_storage
  storage_type          = "gp3"
  storage_encrypted     = true

  username                    = "root"
  manage_master_user_password = false
  password_wo                 = random_password.master.result
  password_wo_version         = 1
  port                        = "3306"

  multi_az               = var.multi_az
  db_subnet_group_name   = var.db_subnet_group_name
  vpc_security_group_ids = [aws_security_group.this.id]
  publicly_accessible    = false

  backup_retention_period  = var.backup_retention_days
  backup_window            = "02:00-03:00"
  maintenance_window       = "Sun:04:00-Sun:05:00"
  copy_tags_to_snapshot    = true
  delete_automated_backups = false
  deletion_protection      = var.deletion_protection
  skip_final_snapshot      = false

  auto_minor_version_upgrade          = true
  iam_database_authentication_enabled = true
  monitoring_interval                 = 60
  create_monitoring_role              = true
  monitoring_role_name                = "${var.identifier}-rds-monitoring"
  enabled_cloudwatch_logs_exports     = ["error", "slowquery"]
  create_cloudwatch_log_group         = true

  # Off on the classes RDS for MySQL refuses it on (micro and small burstable ones).
  performance_insights_enabled = var.performance_insights_enabled

  parameters = [
    { name = "character_set_server", value = "utf8mb4" },
    { name = "collation_server", value = "utf8mb4_unicode_ci" },
  ]
}

resource "aws_route53_record" "mysql" {
  zone_id = var.zone_id
  name    = var.host
  type    = "CNAME"
  ttl     = 300
  records = [module.rds.db_instance_address]
}
