# The shared kubernetes_kubeapps module (reduced).
