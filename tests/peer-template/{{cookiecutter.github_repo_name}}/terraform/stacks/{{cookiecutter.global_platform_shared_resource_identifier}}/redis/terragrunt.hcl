terraform {
  source = "../../modules//redis"
}
