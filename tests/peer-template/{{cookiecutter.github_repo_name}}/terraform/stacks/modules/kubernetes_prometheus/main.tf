# The shared kubernetes_prometheus module (reduced).
