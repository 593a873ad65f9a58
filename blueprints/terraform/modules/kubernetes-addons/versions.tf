terraform {
  required_version = "[[ versions.tooling.terraform_required ]]"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "[[ versions.providers.aws ]]"
    }
    helm = {
      source  = "hashicorp/helm"
      version = "[[ versions.providers.helm ]]"
    }
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = "[[ versions.providers.kubernetes ]]"
    }
    random = {
      source  = "hashicorp/random"
      version = "[[ versions.providers.random ]]"
    }
  }
}
