terraform {
  source = "../../modules//acm"
}
