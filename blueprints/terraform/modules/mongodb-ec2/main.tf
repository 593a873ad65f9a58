# MongoDB [[ versions.services.mongodb ]] on one EC2 instance in a private subnet: Amazon Linux 2023,
# an encrypted gp3 data volume mounted at /var/lib/mongo, installed and secured by cloud-init
# (templates/user-data.sh.tftpl). Three users, each with a password generated here and read by the
# instance from SSM Parameter Store (so none is in the user data): `admin` (root, for operators),
# `openedx` (readWrite on the Open edX databases: what Open edX connects as) and `backup` (the
# built-in backup role: the dump CronJob). mongod listens on the instance's private address only;
# only the EKS nodes and the bastion may reach it. Data Lifecycle Manager snapshots the data
# volume every few hours, besides the daily dump.
#
# No TLS: a CA of our own, kept in the Terraform state and copied to every client, would protect
# little beyond what the security groups already do (the traffic never leaves the VPC, and only
# the nodes' and the bastion's groups may connect), and a private CA costs about 400 USD a month.
# For production, DocumentDB (TLS, managed backups, failover) is the recommended placement.

locals {
  # The data volume's device name; the bootstrap finds the disk by the volume's id, not by it.
  data_device_name = "/dev/sdf"

  # The Open edX databases: Tutor's MONGODB_DATABASE, and the forum's, which only a migrated
  # platform uses, as the source of the forum's move to MySQL (tutor-forum README).
  app_databases = ["openedx", "cs_comments_service"]

  users = toset(["admin", "openedx", "backup"])

  # Who may connect: the EKS nodes (Open edX, backups) and the bastion when there is one.
  clients = {
    for name, id in { "EKS nodes" = var.node_security_group_id, bastion = var.bastion_security_group_id } :
    name => id if id != null
  }

  # The tag the snapshot policy selects the data volume by.
  snapshot_tag = { MongodbSnapshots = var.name }
}

resource "random_password" "users" {
  for_each = local.users

  length  = 32
  special = false
}

# The passwords' own key: with the AWS-managed aws/ssm key, every role holding
# AmazonSSMManagedInstanceCore (the bastion, the EKS nodes), which grants ssm:GetParameter on every
# parameter, could read them, root's included. This key's policy leaves its use to IAM, and only
# the MongoDB instance (and account administrators) are granted kms:Decrypt on it.
resource "aws_kms_key" "passwords" {
  description             = "MongoDB user passwords of ${var.name} in SSM"
[% include "terraform/modules/_partials/kms-key.tf" %]
}

data "aws_caller_identity" "current" {}

resource "aws_ssm_parameter" "password" {
  for_each = local.users

  name        = "/${var.name}/mongodb/${each.key}-password"
  description = "Password of MongoDB's ${each.key} user on ${var.host}"
  type        = "SecureString"
  key_id      = aws_kms_key.passwords.arn
  value       = random_password.users[each.key].result
}

# The admin password and its parameter of earlier versions keep their values.
moved {
  from = random_password.admin
  to   = random_password.users["admin"]
}

moved {
  from = aws_ssm_parameter.admin_password
  to   = aws_ssm_parameter.password["admin"]
}

data "aws_iam_policy_document" "instance" {
  statement {
    sid       = "ReadPasswords"
    actions   = ["ssm:GetParameter"]
    resources = [for parameter in aws_ssm_parameter.password : parameter.arn]
  }

  statement {
    sid       = "DecryptPasswords"
    actions   = ["kms:Decrypt"]
    resources = [aws_kms_key.passwords.arn]
  }

  # The bootstrap finds its data volume by id (DescribeVolumes has no resource-level permissions).
  statement {
    sid       = "FindDataVolume"
    actions   = ["ec2:DescribeVolumes"]
    resources = ["*"]
  }
}

module "read_password_policy" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-policy"
  version = "[[ versions.modules.iam ]]"

  name        = "${var.name}-mongodb-bootstrap"
  description = "Lets the MongoDB instance of ${var.name} read its users' passwords and find its data volume"
  policy      = data.aws_iam_policy_document.instance.json
}

[% set data_store = {"engine": "MongoDB", "name": "${var.name}-mongodb", "port": 27017, "attached_by": "the EC2 instance module"} %]
[% include "terraform/modules/_partials/data-store-security-group.tf" %]

# Package repositories and SSM over the NAT gateway: the module's named rules https-443-tcp and
# http-80-tcp as it made them (IPv6 included, so that they move unchanged; the VPC has no IPv6).
resource "aws_security_group_rule" "outbound" {
  for_each = { HTTPS = 443, HTTP = 80 }

  type              = "egress"
  security_group_id = aws_security_group.this.id
  description       = each.key
  cidr_blocks       = ["0.0.0.0/0"]
  ipv6_cidr_blocks  = ["::/0"]
  protocol          = "tcp"
  from_port         = each.value
  to_port           = each.value
}

moved {
  from = module.security_group.aws_security_group_rule.egress_rules[0]
  to   = aws_security_group_rule.outbound["HTTPS"]
}

moved {
  from = module.security_group.aws_security_group_rule.egress_rules[1]
  to   = aws_security_group_rule.outbound["HTTP"]
}

module "instance" {
  source  = "terraform-aws-modules/ec2-instance/aws"
  version = "[[ versions.modules.ec2_instance ]]"

  name          = "${var.name}-mongodb"
  instance_type = var.instance_type
  subnet_id     = var.subnet_id

  # Never replaced because a newer Amazon Linux image came out.
  ignore_ami_changes          = true
  user_data_replace_on_change = false
  user_data = templatefile("${path.module}/templates/user-data.sh.tftpl", {
    mongodb_version     = "[[ versions.services.mongodb ]]"
    password_parameters = { for user, parameter in aws_ssm_parameter.password : user => parameter.name }
    app_databases       = local.app_databases
    data_device_name    = local.data_device_name
    data_volume_size_gb = var.volume_size
  })

  create_security_group  = false
  vpc_security_group_ids = [aws_security_group.this.id]

  create_iam_instance_profile = true
  iam_role_name               = "${var.name}-mongodb"
  iam_role_use_name_prefix    = false
  iam_role_description        = "MongoDB server of ${var.name}"
  iam_role_policies = {
    ssm       = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
    bootstrap = module.read_password_policy.arn
  }

  metadata_options = {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  monitoring              = true
  ebs_optimized           = true
  disable_api_termination = var.termination_protection

  root_block_device = {
    type      = "gp3"
    size      = 20
    encrypted = true
  }

  ebs_volumes = {
    data = {
      device_name    = local.data_device_name
      type           = "gp3"
      size           = var.volume_size
      encrypted      = true
      final_snapshot = true
      tags           = local.snapshot_tag
    }
  }
}

# Snapshots of the data volume every few hours (crash-consistent: MongoDB's WiredTiger journal
# recovers from them), kept for `snapshot_count` runs: a recovery point of hours.
resource "aws_iam_role" "snapshots" {
  name        = "${var.name}-mongodb-snapshots"
  description = "Data Lifecycle Manager: snapshots of the MongoDB data volume of ${var.name}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "dlm.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "snapshots" {
  role       = aws_iam_role.snapshots.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSDataLifecycleManagerServiceRole"
}

resource "aws_dlm_lifecycle_policy" "snapshots" {
  description        = "MongoDB data volume of ${var.name}"
  execution_role_arn = aws_iam_role.snapshots.arn
  state              = "ENABLED"

  policy_details {
    resource_types = ["VOLUME"]
    target_tags    = local.snapshot_tag

    schedule {
      # DLM names take letters, digits, spaces, `_` and `-` only.
      name = "every ${var.snapshot_interval_hours} hours keep ${var.snapshot_count}"

      create_rule {
        interval      = var.snapshot_interval_hours
        interval_unit = "HOURS"
        times         = ["00:30"]
      }

      retain_rule {
        count = var.snapshot_count
      }

      copy_tags = true
    }
  }
}

resource "aws_route53_record" "mongodb" {
  zone_id = var.zone_id
  name    = var.host
  type    = "CNAME"
  ttl     = 300
  records = [module.instance.private_dns]
}
