"""Removes the folders of the parts declined, as the template's own hook does (including its
habit of leaving terraform/stacks/<id>/ec2_bastion behind when the bastion is declined)."""
import os
import shutil

STACK = os.path.join("terraform", "stacks", "{{ cookiecutter.global_platform_shared_resource_identifier }}")
ENVIRONMENT = os.path.join("terraform", "environments", "{{ cookiecutter.environment_name }}")
MODULES = os.path.join("terraform", "stacks", "modules")


def remove(*parts):
    path = os.path.join(*parts)
    if os.path.exists(path):
        shutil.rmtree(path)


def declined(answer):
    return answer.upper() != "Y"


if declined("{{ cookiecutter.stack_add_bastion }}"):
    remove(MODULES, "ec2_bastion")
for answer, unit in [
    ("{{ cookiecutter.stack_add_k8s_dashboard }}", "kubernetes_dashboard"),
    ("{{ cookiecutter.stack_add_k8s_kubeapps }}", "kubernetes_kubeapps"),
    ("{{ cookiecutter.stack_add_k8s_kubecost }}", "kubernetes_kubecost"),
    ("{{ cookiecutter.stack_add_k8s_karpenter }}", "kubernetes_karpenter"),
    ("{{ cookiecutter.stack_add_k8s_prometheus }}", "kubernetes_prometheus"),
]:
    if declined(answer):
        remove(STACK, unit)
        remove(MODULES, unit)
if declined("{{ cookiecutter.stack_add_remote_mongodb }}"):
    for unit in ["mongodb", "mongodb_volume"]:
        remove(STACK, unit)
        remove(MODULES, unit)
    remove(ENVIRONMENT, "mongodb")
    remove("terraform", "environments", "modules", "mongodb")
for answer, unit in [
    ("{{ cookiecutter.stack_add_remote_mysql }}", "mysql"),
    ("{{ cookiecutter.stack_add_remote_redis }}", "redis"),
]:
    if declined(answer):
        remove(STACK, unit)
        remove(MODULES, unit)
        remove(ENVIRONMENT, unit)
        remove("terraform", "environments", "modules", unit)
if declined("{{ cookiecutter.environment_add_aws_ses }}"):
    remove(ENVIRONMENT, "ses")
    remove("terraform", "environments", "modules", "ses")
if declined("{{ cookiecutter.wordpress_add_site }}"):
    remove("terraform", "environments", "wordpress")
    remove("terraform", "environments", "modules", "wordpress")
