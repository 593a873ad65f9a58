# The kubernetes module of an environment (reduced).
