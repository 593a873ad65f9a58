# Account-wide: the read-only role the infrastructure workflow assumes for terragrunt plan, on main
# and for pull requests in the GitHub environment `plan`. It reads the state (database passwords),
# SecureStrings and the cluster's Secrets, so it trusts no bare `pull_request` (anyone who can push
# a branch could run their workflow with it): a pull request's plan waits for a reviewer of `plan`.
# ReadOnlyAccess, plus what a plan writes: the S3 lock files next to the state
# (root.hcl: `use_lockfile`), never the state itself. It may read no database dump and no learner
# file; it can change nothing else (no delete of any bucket, the backups one included).
[% include "terraform/shared/_github-role.hcl" %]

inputs = {
  name              = "${include.root.locals.global.shared_prefix}-github-plan"
  description       = "GitHub Actions runs terragrunt plan (read-only) on main and in the environment plan"
  oidc_provider_url = dependency.github_oidc.outputs.url
  github_repository = "${include.root.locals.global.github_organization}/${include.root.locals.global.github_repository}"
  github_contexts   = ["environment:plan", "ref:refs/heads/main"]
  policies = {
    read_only = "arn:aws:iam::aws:policy/ReadOnlyAccess"
  }
  inline_permissions = {
    # S3-native state locking writes and removes `<key>.tflock` beside each state file.
    StateLock = {
      actions   = ["s3:PutObject", "s3:DeleteObject"]
      resources = ["arn:aws:s3:::${include.root.locals.global.state_bucket}/*.tflock"]
    }
    # The Karpenter unit reads a public ECR token to pull its chart.
    EcrPublicToken = {
      actions   = ["ecr-public:GetAuthorizationToken", "sts:GetServiceBearerToken"]
      resources = ["*"]
    }
    # Refreshing a SecureString SSM parameter decrypts it (its value is in the state already).
    SsmDecrypt = {
      actions   = ["kms:Decrypt"]
      resources = ["*"]
      condition = [{
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["ssm.${include.root.locals.global.aws_region}.amazonaws.com"]
      }]
    }
    # A plan never needs the objects of the environments' buckets: database dumps, learner files.
    NoData = {
      effect  = "Deny"
      actions = ["s3:GetObject", "s3:GetObjectVersion"]
      resources = [
        "arn:aws:s3:::*-backups-${include.root.locals.global.aws_account_id}/*",
        "arn:aws:s3:::*-storage-${include.root.locals.global.aws_account_id}/*",
      ]
    }
  }
  max_session_duration = 3600
}
