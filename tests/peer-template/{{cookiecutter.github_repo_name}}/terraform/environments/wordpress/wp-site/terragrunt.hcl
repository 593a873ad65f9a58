terraform {
  source = "../../modules//wordpress"
}
