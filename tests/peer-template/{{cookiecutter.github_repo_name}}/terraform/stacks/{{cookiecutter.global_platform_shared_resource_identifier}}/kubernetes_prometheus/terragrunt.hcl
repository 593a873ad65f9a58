terraform {
  source = "../../modules//kubernetes_prometheus"
}
