terraform {
  required_version = "[[ versions.tooling.terraform_required ]]"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "[[ versions.providers.aws ]]"
    }
  }
}
