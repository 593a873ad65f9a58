locals {
  global_vars = read_terragrunt_config(find_in_parent_folders("global.hcl"))
  stack       = local.global_vars.locals.shared_resource_identifier

  mysql_instance_class    = "{{ cookiecutter.mysql_instance_class }}"
  mysql_allocated_storage = {{ cookiecutter.mysql_allocated_storage }}
  redis_node_type         = "{{ cookiecutter.redis_node_type }}"
  {% if cookiecutter.stack_add_remote_mongodb|upper == "Y" -%}
  mongodb_instance_type = "{{ cookiecutter.mongodb_instance_type }}"
  {% endif %}
  {% if cookiecutter.stack_add_bastion|upper == "Y" -%}
  bastion_instance_type = "{{ cookiecutter.bastion_instance_type }}"
  {% endif %}
  kubernetes_version              = "{{ cookiecutter.kubernetes_cluster_version }}"
  eks_create_kms_key              = {% if cookiecutter.eks_create_kms_key|upper == "Y" %}true{% else %}false{% endif %}
  eks_service_group_instance_type = "{{ cookiecutter.eks_hosting_group_instance_type }}"
  eks_service_group_min_size      = 0
  eks_service_group_max_size      = 6
  eks_hosting_group_instance_type = "{{ cookiecutter.eks_hosting_group_instance_type }}"
}
