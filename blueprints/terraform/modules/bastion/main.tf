# A small bastion in the VPC for operators: reached with SSM Session Manager (no open port by
# default; SSH only from `ssh_cidrs`), with kubectl, k9s, the MySQL client and mongosh installed by
# cloud-init (templates/user-data.sh.tftpl). Operators use their own AWS credentials on it
# (`aws sso login` or `aws configure`); the instance role only allows SSM.

data "aws_region" "current" {}

locals {
  ssh_open = length(var.ssh_cidrs) > 0
}

# The security group is ours, not the instance module's: the module reads the subnet with a
# `data "aws_subnet"` lookup whenever it creates the group, which fails `plan` before the VPC
# exists (the subnet id is then a mock).
resource "aws_security_group" "bastion" {
  #checkov:skip=CKV2_AWS_5:Attached to the instance through the registry module's vpc_security_group_ids, which checkov does not follow.
  name        = "${var.name}-bastion"
  description = "Bastion of ${var.name}"
  vpc_id      = var.vpc_id

  tags = {
    Name = "${var.name}-bastion"
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "ssh" {
  for_each = { for index, cidr in var.ssh_cidrs : "ssh-${index}" => cidr }

  security_group_id = aws_security_group.bastion.id
  description       = "SSH"
  cidr_ipv4         = each.value
  from_port         = 22
  to_port           = 22
  ip_protocol       = "tcp"

  tags = {
    Name = "${var.name}-bastion-${each.key}"
  }
}

resource "aws_vpc_security_group_egress_rule" "all" {
  security_group_id = aws_security_group.bastion.id
  description       = "Outbound (SSM, package repositories, Kubernetes API, databases)"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"

  tags = {
    Name = "${var.name}-bastion-all"
  }
}

# The group and rules the instance module made in earlier versions keep their ids.
moved {
  from = module.instance.aws_security_group.this[0]
  to   = aws_security_group.bastion
}

moved {
  from = module.instance.aws_vpc_security_group_egress_rule.this["all"]
  to   = aws_vpc_security_group_egress_rule.all
}

moved {
  from = module.instance.aws_vpc_security_group_ingress_rule.this
  to   = aws_vpc_security_group_ingress_rule.ssh
}

resource "aws_key_pair" "bastion" {
  count = local.ssh_open && var.ssh_public_key != "" ? 1 : 0

  key_name   = "${var.name}-bastion"
  public_key = var.ssh_public_key
}

module "instance" {
  source  = "terraform-aws-modules/ec2-instance/aws"
  version = "[[ versions.modules.ec2_instance ]]"

  name                        = "${var.name}-bastion"
  instance_type               = var.instance_type
  subnet_id                   = var.subnet_id
  associate_public_ip_address = local.ssh_open
  key_name                    = try(aws_key_pair.bastion[0].key_name, null)

  ignore_ami_changes = true
  user_data = templatefile("${path.module}/templates/user-data.sh.tftpl", {
    kubectl_minor   = "[[ versions.tooling.kubectl ]]"
    mysql_version   = "[[ versions.services.mysql ]]"
    mongodb_version = "[[ versions.services.mongodb ]]"
    cluster_name    = var.cluster_name
    region          = data.aws_region.current.region
  })
  user_data_replace_on_change = true

  create_security_group  = false
  vpc_security_group_ids = [aws_security_group.bastion.id]

  create_iam_instance_profile = true
  iam_role_name               = "${var.name}-bastion"
  iam_role_use_name_prefix    = false
  iam_role_description        = "Bastion of ${var.name} (SSM Session Manager)"
  iam_role_policies = {
    ssm = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
  }

  metadata_options = {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  monitoring    = true
  ebs_optimized = true

  root_block_device = {
    type      = "gp3"
    size      = 20
    encrypted = true
  }
}

resource "aws_route53_record" "bastion" {
  zone_id = var.zone_id
  name    = var.host
  type    = "CNAME"
  ttl     = 300
  records = [local.ssh_open ? module.instance.public_dns : module.instance.private_dns]
}
