terraform {
  source = "../../modules//cloudfront"
}
