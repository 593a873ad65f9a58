terraform {
  source = "../../modules//kubernetes_karpenter"
}
