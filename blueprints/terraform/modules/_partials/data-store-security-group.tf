[# The security group of a data store (MySQL, DocumentDB, MongoDB on EC2): its port from the EKS
   nodes' and the bastion's groups (`local.clients`: a map of static names to group ids), nothing
   else. Included at the top level of a module that has `var.vpc_id`, after
   `[% set data_store = {"engine": "MySQL", "name": "${var.identifier}-mysql", "port": 3306} %]`
   (and `"attached_by": "the RDS module"` when a registry module, not a resource, attaches it).
   Plain provider resources in place of terraform-aws-modules/security-group 5.3.1, which made
   the same group (its `aws_security_group.this[0]` when `use_name_prefix = false`). #]
resource "aws_security_group" "this" {
[% if data_store.attached_by is defined %]
  #checkov:skip=CKV2_AWS_5:Attached through [[ data_store.attached_by ]]'s vpc_security_group_ids, which checkov does not follow.
[% endif %]
  name        = "[[ data_store.name ]]"
  description = "[[ data_store.engine ]] from the EKS nodes and the bastion"
  vpc_id      = var.vpc_id

  tags = {
    Name = "[[ data_store.name ]]"
  }

  # As the module had them, so that the group moves without a change.
  timeouts {
    create = "10m"
    delete = "15m"
  }
}

# Only the nodes' and the bastion's security groups, never a CIDR: the VPC's range includes
# the public subnets (load balancers, NAT). `aws_security_group_rule`, not provider 6's
# `aws_vpc_security_group_ingress_rule`: a deployed platform's rules, made by the module as this
# type, move here by the blocks below without being touched, while a change of type would revoke
# each rule and create it again, in no set order (the provider cannot move a rule across types,
# hashicorp/terraform-provider-aws#36913), cutting the database off between the two.
resource "aws_security_group_rule" "clients" {
  for_each = local.clients

  type                     = "ingress"
  security_group_id        = aws_security_group.this.id
  description              = "[[ data_store.engine ]] from the ${each.key}"
  source_security_group_id = each.value
  protocol                 = "tcp"
  from_port                = [[ data_store.port ]]
  to_port                  = [[ data_store.port ]]
}

# Deployments made with the security-group module (5.3.1) keep their group and its rules: the
# database that uses the group is not touched. The module's rules were a list over `local.clients`
# in key order ("EKS nodes", then "bastion").
moved {
  from = module.security_group.aws_security_group.this[0]
  to   = aws_security_group.this
}

moved {
  from = module.security_group.aws_security_group_rule.ingress_with_source_security_group_id[0]
  to   = aws_security_group_rule.clients["EKS nodes"]
}

moved {
  from = module.security_group.aws_security_group_rule.ingress_with_source_security_group_id[1]
  to   = aws_security_group_rule.clients["bastion"]
}
