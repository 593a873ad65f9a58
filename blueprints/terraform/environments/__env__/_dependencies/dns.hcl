[# The `dependency` block every unit that needs it includes; one place to change. #]
dependency "dns" {
  config_path = "../dns"
  mock_outputs = {
    zone_id = "Z00000000000000000000"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan", "init"]
}
