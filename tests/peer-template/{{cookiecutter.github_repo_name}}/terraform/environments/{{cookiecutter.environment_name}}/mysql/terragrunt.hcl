terraform {
  source = "../../modules//mysql"
}
