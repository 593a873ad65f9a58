# The shared mongodb_volume module (reduced).
