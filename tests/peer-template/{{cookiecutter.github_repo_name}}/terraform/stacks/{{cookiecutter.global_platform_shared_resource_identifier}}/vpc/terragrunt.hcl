terraform {
  source = "../../modules//vpc"
}
