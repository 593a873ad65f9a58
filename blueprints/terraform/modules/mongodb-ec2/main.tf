# MongoDB [[ versions.services.mongodb ]] on one EC2 instance in a private subnet: Amazon Linux 2023,
# an encrypted gp3 data volume mounted at /var/lib/mongo, installed and secured by cloud-init
# (templates/user-data.sh.tftpl). The admin password is generated here and read by the instance
# from SSM Parameter Store at first boot, so it is not in the instance's user data.

resource "random_password" "admin" {
  length  = 32
  special = false
}

resource "aws_ssm_parameter" "admin_password" {
  #checkov:skip=CKV_AWS_337:The AWS-managed aws/ssm key suffices; the value is also in the Terraform state and the Kubernetes secret.
  name        = "/${var.name}/mongodb/admin-password"
  description = "Password of MongoDB's admin user on ${var.host}"
  type        = "SecureString"
  value       = random_password.admin.result
}

data "aws_iam_policy_document" "read_password" {
  statement {
    actions   = ["ssm:GetParameter"]
    resources = [aws_ssm_parameter.admin_password.arn]
  }
}

module "read_password_policy" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-policy"
  version = "[[ versions.modules.iam ]]"

  name        = "${var.name}-mongodb-read-password"
  description = "Lets the MongoDB instance of ${var.name} read its admin password"
  policy      = data.aws_iam_policy_document.read_password.json
}

module "security_group" {
  source  = "terraform-aws-modules/security-group/aws"
  version = "[[ versions.modules.security_group ]]"

  name            = "${var.name}-mongodb"
  use_name_prefix = false
  description     = "MongoDB from inside the VPC"
  vpc_id          = var.vpc_id

  ingress_with_cidr_blocks = [{
    rule        = "mongodb-27017-tcp"
    cidr_blocks = var.vpc_cidr_block
    description = "MongoDB from the VPC (nodes, bastion)"
  }]

  # Package repositories and SSM over the NAT gateway.
  egress_rules = ["https-443-tcp", "http-80-tcp"]
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
    password_parameter  = aws_ssm_parameter.admin_password.name
    data_volume_size_gb = var.volume_size
  })

  create_security_group  = false
  vpc_security_group_ids = [module.security_group.security_group_id]

  create_iam_instance_profile = true
  iam_role_name               = "${var.name}-mongodb"
  iam_role_use_name_prefix    = false
  iam_role_description        = "MongoDB server of ${var.name}"
  iam_role_policies = {
    ssm           = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
    read_password = module.read_password_policy.arn
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
      device_name    = "/dev/sdf"
      type           = "gp3"
      size           = var.volume_size
      encrypted      = true
      final_snapshot = true
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
