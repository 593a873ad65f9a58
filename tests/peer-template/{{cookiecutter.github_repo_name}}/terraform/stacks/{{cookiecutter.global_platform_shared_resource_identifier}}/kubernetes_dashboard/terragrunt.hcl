terraform {
  source = "../../modules//kubernetes_dashboard"
}
