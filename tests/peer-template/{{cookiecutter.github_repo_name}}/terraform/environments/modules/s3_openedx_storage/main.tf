# The s3_openedx_storage module of an environment (reduced).
