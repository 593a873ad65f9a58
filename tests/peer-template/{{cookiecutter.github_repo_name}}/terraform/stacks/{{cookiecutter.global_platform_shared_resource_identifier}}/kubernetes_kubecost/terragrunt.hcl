terraform {
  source = "../../modules//kubernetes_kubecost"
}
