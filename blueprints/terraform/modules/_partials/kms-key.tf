[# The settings of every customer-managed KMS key: yearly rotation, a 30-day deletion window,
   the account-administers policy. Included inside an `aws_kms_key` block of a module that has
   `data "aws_caller_identity" "current" {}`. #]
  enable_key_rotation     = true
  deletion_window_in_days = 30

  # The default key policy, spelled out: the account administers and uses the key through IAM.
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AccountAdministers"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
