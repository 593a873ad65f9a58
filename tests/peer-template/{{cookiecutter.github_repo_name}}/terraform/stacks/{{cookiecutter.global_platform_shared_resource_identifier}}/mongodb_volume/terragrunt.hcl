terraform {
  source = "../../modules//mongodb_volume"
}
