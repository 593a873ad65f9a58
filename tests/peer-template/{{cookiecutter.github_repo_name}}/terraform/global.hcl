# Reduced stand-in for the global.hcl of cookiecutter-openedx-devops: the locals it sets.
locals {
  platform_name              = "{{ cookiecutter.global_platform_name }}"
  platform_region            = "{{ cookiecutter.global_platform_region }}"
  shared_resource_identifier = "{{ cookiecutter.global_platform_shared_resource_identifier }}"
  shared_resource_namespace  = "{{ cookiecutter.global_platform_name }}-{{ cookiecutter.global_platform_region }}-{{ cookiecutter.global_platform_shared_resource_identifier }}"
  root_domain                = "{{ cookiecutter.global_root_domain }}"
  services_subdomain         = "{{ cookiecutter.global_platform_shared_resource_identifier }}.{{ cookiecutter.global_root_domain }}"
  aws_region                 = "{{ cookiecutter.global_aws_region }}"
  account_id                 = "{{ cookiecutter.global_account_id }}"
  studio_subdomain           = "{{ cookiecutter.environment_studio_subdomain }}"
}

inputs = {
  platform_name = local.platform_name
  aws_region    = local.aws_region
}
