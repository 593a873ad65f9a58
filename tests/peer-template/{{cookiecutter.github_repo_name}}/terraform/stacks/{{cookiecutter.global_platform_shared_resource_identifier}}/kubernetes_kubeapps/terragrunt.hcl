terraform {
  source = "../../modules//kubernetes_kubeapps"
}
