# The shared vpc module (reduced).
