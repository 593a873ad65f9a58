[# The inputs that say who may connect to a database unit: the EKS nodes' security group and,
   with a bastion, the bastion's. Included inside `inputs = { ... }` of a unit that has the `eks`
   (and with a bastion the `bastion`) dependency. #]
  # Who may connect, by security group, never by the VPC's range (which holds public subnets).
[% if answers.bastion %]
  node_security_group_id    = dependency.eks.outputs.node_security_group_id
  bastion_security_group_id = dependency.bastion.outputs.security_group_id
[% else %]
  node_security_group_id = dependency.eks.outputs.node_security_group_id
[% endif %]
