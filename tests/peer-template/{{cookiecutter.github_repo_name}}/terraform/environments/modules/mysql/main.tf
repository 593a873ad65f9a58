# The mysql module of an environment (reduced).
