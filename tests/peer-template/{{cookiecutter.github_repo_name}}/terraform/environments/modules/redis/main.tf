# The redis module of an environment (reduced).
