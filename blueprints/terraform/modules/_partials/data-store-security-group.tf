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
# the public subnets (load balancers, NAT).
resource "aws_vpc_security_group_ingress_rule" "clients" {
  for_each = local.clients

  security_group_id            = aws_security_group.this.id
  description                  = "[[ data_store.engine ]] from the ${each.key}"
  referenced_security_group_id = each.value
  ip_protocol                  = "tcp"
  from_port                    = [[ data_store.port ]]
  to_port                      = [[ data_store.port ]]
}

# Deployments made with the module keep their group, and the database that uses it is not
# touched. Its rules (`aws_security_group_rule`) cannot move to the new rule type: on the first
# apply after the update they are revoked and the rules above created, in no set order, and a
# rule created while its old twin still exists fails with InvalidPermission.Duplicate; the next
# apply creates it.
moved {
  from = module.security_group.aws_security_group.this[0]
  to   = aws_security_group.this
}
