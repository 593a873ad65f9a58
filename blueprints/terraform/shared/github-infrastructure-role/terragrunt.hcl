# Account-wide: the role the infrastructure workflow assumes for terragrunt apply. It is account
# admin, so only jobs in the GitHub environment `infrastructure` may assume it: protect that
# environment (required reviewers, deployment branch `main`) and let no other job use it. Plans of
# pull requests use the read-only role of shared/github-plan-role instead.
[% include "terraform/shared/_github-role.hcl" %]

inputs = {
  name              = "${include.root.locals.global.shared_prefix}-github-infrastructure"
  description       = "GitHub Actions runs terragrunt apply from the protected environment infrastructure"
  oidc_provider_url = dependency.github_oidc.outputs.url
  github_repository = "${include.root.locals.global.github_organization}/${include.root.locals.global.github_repository}"
  # Exactly one subject: the dedicated environment, which no deploy job uses.
  github_contexts = ["environment:infrastructure"]
  # Terragrunt creates and changes every kind of resource in this repository.
  policies = {
    admin = "arn:aws:iam::aws:policy/AdministratorAccess"
  }
  # A first apply of an environment (EKS, RDS, CloudFront) takes well over an hour; the workflow
  # asks for this duration (role-duration-seconds).
  max_session_duration = 14400
}
