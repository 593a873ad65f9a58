# The shared kubernetes_kubecost module (reduced).
