terraform {
  source = "../../modules//kubernetes_ingress_clb"
}
