terraform {
  source = "../../modules//ses"
}
