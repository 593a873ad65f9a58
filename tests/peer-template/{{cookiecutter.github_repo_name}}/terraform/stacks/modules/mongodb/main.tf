# The shared mongodb module (reduced).
