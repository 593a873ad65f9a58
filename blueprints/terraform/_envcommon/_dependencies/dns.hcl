[# The `dependency` block of every common unit body that needs it; one place to change. #]
dependency "dns" {
  config_path = "${get_terragrunt_dir()}/../dns"
  mock_outputs = {
    zone_id = "Z00000000000000000000"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan", "init"]
}
