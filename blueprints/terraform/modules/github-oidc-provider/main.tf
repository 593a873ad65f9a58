# The account's IAM OIDC identity provider for GitHub Actions (one per account). Workflows of this
# repository assume the roles of modules/github-role and modules/github-deploy-role through it.

module "provider" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-oidc-provider"
  version = "[[ versions.modules.iam ]]"

  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
}
