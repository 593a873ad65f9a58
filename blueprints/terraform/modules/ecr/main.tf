# ECR repositories of the images the build workflow pushes (account-wide, shared by every
# environment): immutable tags, scan on push, KMS encryption, old images expire.

resource "aws_kms_key" "ecr" {
  description             = "ECR repositories ${join(", ", var.repository_names)}"
[% include "terraform/modules/_partials/kms-key.tf" %]
}

data "aws_caller_identity" "current" {}

resource "aws_ecr_repository" "this" {
  for_each = toset(var.repository_names)

  name                 = each.value
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.ecr.arn
  }
}

resource "aws_ecr_lifecycle_policy" "this" {
  for_each = aws_ecr_repository.this

  repository = each.value.name
  # The build workflow stores its layer cache under `buildcache-*` tags: keep a few of those on
  # their own, so that cache images never push a running release out of the newest N.
  policy = jsonencode({
    rules = [
      {
        rulePriority = 1
        description  = "Keep the newest 3 build caches"
        selection = {
          tagStatus     = "tagged"
          tagPrefixList = ["buildcache-"]
          countType     = "imageCountMoreThan"
          countNumber   = 3
        }
        action = {
          type = "expire"
        }
      },
      {
        rulePriority = 2
        description  = "Keep the newest ${var.keep_images} images"
        selection = {
          tagStatus   = "any"
          countType   = "imageCountMoreThan"
          countNumber = var.keep_images
        }
        action = {
          type = "expire"
        }
      },
    ]
  })
}
