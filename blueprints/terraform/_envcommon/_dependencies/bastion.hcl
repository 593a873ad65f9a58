[# The `dependency` block of every common unit body that needs it; one place to change. #]
dependency "bastion" {
  config_path = "${get_terragrunt_dir()}/../bastion"
  mock_outputs = {
    security_group_id = "sg-00000000000000002"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan", "init"]
}
