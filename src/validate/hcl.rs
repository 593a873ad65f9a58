//! HCL syntax (Terraform `.tf`, Terragrunt `.hcl`, `.tfvars`) through hcl-rs.

/// `None` when the text parses; else the line, column and parser message.
pub(crate) fn check(text: &str) -> Option<(Option<usize>, Option<usize>, String)> {
    match hcl::parse(text) {
        Ok(_) => None,
        Err(hcl::Error::Parse(error)) => {
            let location = error.location();
            Some((
                Some(location.line()),
                Some(location.column()),
                format!("HCL does not parse: {}", error.message()),
            ))
        }
        Err(other) => Some((None, None, format!("HCL does not parse: {other}"))),
    }
}
