terraform {
  required_version = "[[ versions.tooling.terraform_required ]]"

  required_providers {
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = "[[ versions.providers.kubernetes ]]"
    }
  }
}
