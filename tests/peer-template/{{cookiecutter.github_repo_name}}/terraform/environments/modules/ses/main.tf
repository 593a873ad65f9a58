# The ses module of an environment (reduced).
