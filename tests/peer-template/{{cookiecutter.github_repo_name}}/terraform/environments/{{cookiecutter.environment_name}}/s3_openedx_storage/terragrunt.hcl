terraform {
  source = "../../modules//s3_openedx_storage"
}
