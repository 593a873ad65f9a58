# The shared kubernetes_karpenter module (reduced).
