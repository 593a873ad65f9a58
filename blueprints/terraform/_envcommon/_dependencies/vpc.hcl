[# The `dependency` block of every common unit body that needs it; one place to change. #]
dependency "vpc" {
  config_path = "${get_terragrunt_dir()}/../vpc"
  mock_outputs = {
    vpc_id                     = "vpc-00000000000000000"
    vpc_cidr_block             = "10.0.0.0/16"
    private_subnets            = ["subnet-00000000000000001", "subnet-00000000000000002", "subnet-00000000000000003"]
    public_subnets             = ["subnet-00000000000000004", "subnet-00000000000000005", "subnet-00000000000000006"]
    database_subnets           = ["subnet-00000000000000007", "subnet-00000000000000008", "subnet-00000000000000009"]
    database_subnet_group_name = "mock"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan", "init"]
}
