# Account-wide: the role the build workflow assumes to push images to ECR.
[% include "terraform/shared/_github-role.hcl" %]

dependency "ecr" {
  config_path = "../ecr"
  mock_outputs = {
    repository_arns = ["arn:aws:ecr:us-east-1:000000000000:repository/mock"]
    kms_key_arn     = "arn:aws:kms:us-east-1:000000000000:key/00000000-0000-0000-0000-000000000000"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan", "init"]
}

# Images are built from main only (`github_contexts`).
inputs = {
  name                = "${include.root.locals.global.shared_prefix}-github-build"
  description         = "GitHub Actions builds Open edX images and pushes them to ECR"
  oidc_provider_url   = dependency.github_oidc.outputs.url
  github_repository   = "${include.root.locals.global.github_organization}/${include.root.locals.global.github_repository}"
  github_contexts     = ["ref:refs/heads/main"]
  ecr_repository_arns = dependency.ecr.outputs.repository_arns
  ecr_kms_key_arn     = dependency.ecr.outputs.kms_key_arn
  # As long as a build may run (its timeout); the workflow asks for this duration.
  max_session_duration = 10800
}
