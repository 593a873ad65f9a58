# WordPress on the shared cluster (reduced).
