# ECR repositories of the images the build workflow pushes (account-wide, shared by every
# environment): immutable tags, scan on push, KMS encryption, old images expire.

resource "aws_kms_key" "ecr" {
  description             = "ECR repositories ${join(", ", var.repository_names)}"
[% include "terraform/modules/_partials/kms-key.tf" %]
}

data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

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
  # Nothing an environment may run expires: an image tagged `deployed-*` (production's deploy
  # marks what it runs) matches rule 1 and so can never be expired by a later rule; non-production
  # environments follow main and run one of the newest images. Untagged images are the platform
  # and attestation manifests of tagged image indexes: no rule touches them. Tags that start with
  # neither `deployed-`, `buildcache-` nor a digit (pushed by hand) never expire.
  policy = jsonencode({
    rules = [
      {
        rulePriority = 1
        description  = "Keep every image a production deploy ran"
        selection = {
          tagStatus     = "tagged"
          tagPrefixList = ["deployed-"]
          countType     = "imageCountMoreThan"
          countNumber   = 9999
        }
        action = {
          type = "expire"
        }
      },
      {
        rulePriority = 2
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
      # The builds, `<tutor version>-<commit>`. A rule counts the images of earlier rules among
      # the newest N ("as if they haven't been expired"), so a `*` rule would count the build
      # caches too and keep half as many builds; a list of prefixes selects only images that
      # match all of them, hence one rule per first digit of the Tutor version.
[% for digit in range(1, 10) %]
      {
        rulePriority = [[ digit + 2 ]]
        description  = "Keep the newest ${var.keep_images} builds of a Tutor version [[ digit ]]*"
        selection = {
          tagStatus     = "tagged"
          tagPrefixList = ["[[ digit ]]"]
          countType     = "imageCountMoreThan"
          countNumber   = var.keep_images
        }
        action = {
          type = "expire"
        }
      },
[% endfor %]
    ]
  })
}

# Images of public.ecr.aws pulled through this registry (`<registry>/ecr-public/<path>`): the nodes
# pull with their own ECR permissions instead of anonymously through the NAT address, and the
# registry keeps a copy. Needs no credentials.
resource "aws_ecr_pull_through_cache_rule" "ecr_public" {
  ecr_repository_prefix = "ecr-public"
  upstream_registry_url = "public.ecr.aws"
}
