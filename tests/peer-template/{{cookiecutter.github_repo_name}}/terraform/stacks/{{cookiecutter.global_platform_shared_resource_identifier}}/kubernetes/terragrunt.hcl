terraform {
  source = "../../modules//kubernetes"
}
