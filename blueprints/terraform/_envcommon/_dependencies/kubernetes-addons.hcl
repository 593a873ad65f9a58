[# The `dependency` block of every common unit body that needs it; one place to change. #]
dependency "kubernetes_addons" {
  config_path = "${get_terragrunt_dir()}/../kubernetes-addons"
  mock_outputs = {
    namespace = "openedx"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan", "init"]
}
