# The account's connection from AWS to GitHub (AWS CodeConnections, the AWS Connector for GitHub
# app): every environment's CI runner (modules/ci-runner) registers with GitHub and receives its
# jobs through it. Terraform creates it PENDING; a person authorises it once in the console
# (Developer Tools > Settings > Connections > Update pending connection), which installs the app
# on the organisation. No GitHub token or app key is stored anywhere by this repository.

resource "aws_codeconnections_connection" "github" {
  name          = var.name
  provider_type = "GitHub"
}
