terraform {
  source = "../../modules//ec2_bastion"
}
