//! HCL syntax (Terraform `.tf`, Terragrunt `.hcl`, `.tfvars`) through hcl-rs's parser.

/// Where and why a text does not parse.
pub(crate) type Located = (Option<usize>, Option<usize>, String);

/// The parsed body, or the line, column and parser message. The one HCL parse of a file:
/// `check` keeps the body for its deeper checks.
pub(crate) fn parse(text: &str) -> Result<hcl::edit::structure::Body, Located> {
    hcl::edit::parser::parse_body(text).map_err(|error| {
        let location = error.location();
        (
            Some(location.line()),
            Some(location.column()),
            format!("HCL does not parse: {}", error.message()),
        )
    })
}

/// `None` when the text parses.
pub(crate) fn check(text: &str) -> Option<Located> {
    parse(text).err()
}
