locals {
  tags = {
    "cookiecutter/module/source" = "{{ cookiecutter.github_repo_name }}/terraform/environments/modules/acm"
  }
}
