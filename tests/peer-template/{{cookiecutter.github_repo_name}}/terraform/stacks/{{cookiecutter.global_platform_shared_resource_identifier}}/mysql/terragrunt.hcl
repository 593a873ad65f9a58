terraform {
  source = "../../modules//mysql"
}

inputs = {
  engine               = "mysql"
  engine_version       = "{{ cookiecutter.mysql_engine_version }}"
  family               = "mysql{{ cookiecutter.mysql_engine_version.split('.')[0] }}.{{ cookiecutter.mysql_engine_version.split('.')[1] }}"
  major_engine_version = "{{ cookiecutter.mysql_engine_version.split('.')[0] }}.{{ cookiecutter.mysql_engine_version.split('.')[1] }}"
}
