# tflint rules for terraform/ (`tflint --init` once downloads the AWS ruleset below, then
# `tflint --recursive` from the repository root). The terraform ruleset is built into tflint.
plugin "terraform" {
  enabled = true
  preset  = "recommended"
}

plugin "aws" {
  enabled = true
  version = "[[ versions.precommit.tflint_ruleset_aws ]]"
  source  = "github.com/terraform-linters/tflint-ruleset-aws"
}
