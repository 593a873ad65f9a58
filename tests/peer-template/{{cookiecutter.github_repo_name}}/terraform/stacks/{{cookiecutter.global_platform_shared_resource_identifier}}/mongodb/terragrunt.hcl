terraform {
  source = "../../modules//mongodb"
}
