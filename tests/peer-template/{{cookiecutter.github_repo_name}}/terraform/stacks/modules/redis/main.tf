# The shared redis module (reduced).
