[# The `dependency` block every unit that needs it includes; one place to change. #]
dependency "kubernetes_addons" {
  config_path = "../kubernetes-addons"
  mock_outputs = {
    namespace = "openedx"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan", "init"]
}
