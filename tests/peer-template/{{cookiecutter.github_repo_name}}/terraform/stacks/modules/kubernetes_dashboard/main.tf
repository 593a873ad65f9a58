# The shared kubernetes_dashboard module (reduced).
