# The shared mysql module (reduced).
