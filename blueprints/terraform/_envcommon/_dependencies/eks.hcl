[# The `dependency` block of every common unit body that needs it; one place to change. #]
dependency "eks" {
  config_path = "${get_terragrunt_dir()}/../eks"
  mock_outputs = {
    cluster_name                       = "mock"
    cluster_arn                        = "arn:aws:eks:us-east-1:000000000000:cluster/mock"
    cluster_endpoint                   = "https://mock.eks.amazonaws.com"
    cluster_certificate_authority_data = "bW9jaw=="
    ecr_pull_through_policy_arn        = "arn:aws:iam::000000000000:policy/mock"
    node_security_group_id             = "sg-00000000000000001"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan", "init"]
}
