[# The trust of a role that EKS Pod Identity assumes for the pods of an association (the agent
   also tags the session). Included inside a terraform-aws-modules/iam `iam-role` call. #]
  trust_policy_permissions = {
    PodIdentity = {
      actions = ["sts:AssumeRole", "sts:TagSession"]
      principals = [{
        type        = "Service"
        identifiers = ["pods.eks.amazonaws.com"]
      }]
    }
  }
