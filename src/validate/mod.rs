//! Validation of a rendered tree in memory, before anything is written: every HCL, YAML and
//! JSON file parses, and text is canonical. Pure checks; each finding names file and line.

mod data;
pub(crate) mod hcl;
mod text;

use crate::render::RenderedTree;
use std::fmt;

/// One defect in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub path: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_location(f, &self.path, self.line, self.column)?;
        write!(f, ": {}", self.message)
    }
}

/// `path`, `path:line` or `path:line:column`, as editors and terminals link them.
pub(crate) fn write_location(
    f: &mut fmt::Formatter<'_>,
    path: &str,
    line: Option<usize>,
    column: Option<usize>,
) -> fmt::Result {
    write!(f, "{path}")?;
    if let Some(line) = line {
        write!(f, ":{line}")?;
        if let Some(column) = column {
            write!(f, ":{column}")?;
        }
    }
    Ok(())
}

/// What kind of content a path holds, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileKind {
    Hcl,
    Yaml,
    Json,
    /// Compressed data (the update base): not text, not checked here.
    Binary,
    Other,
}

pub(crate) fn file_kind(path: &str) -> FileKind {
    let name = path.rsplit('/').next().unwrap_or(path);
    let extension = name.rsplit_once('.').map(|(_, ext)| ext).unwrap_or("");
    match extension {
        "tf" | "hcl" | "tfvars" => FileKind::Hcl,
        "yml" | "yaml" => FileKind::Yaml,
        "json" => FileKind::Json,
        "gz" => FileKind::Binary,
        _ => FileKind::Other,
    }
}

/// Checks one file's contents; returns its findings.
pub fn check_file(path: &str, contents: &[u8]) -> Vec<Finding> {
    check_file_with(path, contents, true)
}

/// [`check_file`], leaving out HCL syntax when the caller parses HCL itself.
fn check_file_with(path: &str, contents: &[u8], hcl_syntax: bool) -> Vec<Finding> {
    if file_kind(path) == FileKind::Binary {
        return Vec::new();
    }
    let Ok(text) = std::str::from_utf8(contents) else {
        return vec![Finding {
            path: path.to_owned(),
            line: None,
            column: None,
            message: "is not UTF-8 text".into(),
        }];
    };
    let mut findings = text::check(path, text);
    if hcl_syntax || file_kind(path) != FileKind::Hcl {
        findings.extend(check_syntax(path, text));
    }
    findings
}

/// The syntax error of a text file of a known kind (HCL, YAML, JSON), if it has one.
pub fn check_syntax(path: &str, text: &str) -> Option<Finding> {
    let syntax = match file_kind(path) {
        FileKind::Hcl => hcl::check(text),
        FileKind::Yaml => data::check_yaml(text),
        FileKind::Json => data::check_json(text),
        FileKind::Binary | FileKind::Other => None,
    };
    syntax.map(|(line, column, message)| Finding {
        path: path.to_owned(),
        line,
        column,
        message,
    })
}

/// Checks every file of a rendered tree; `hcl_syntax: false` leaves HCL syntax to a caller that
/// parses HCL itself (`check` does, once, for its deeper checks).
pub(crate) fn check_tree(tree: &RenderedTree, hcl_syntax: bool) -> Vec<Finding> {
    tree.iter()
        .flat_map(|(path, file)| check_file_with(path, &file.contents, hcl_syntax))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_name_file_and_line() {
        let findings = check_file("terraform/a.tf", b"resource \"x\" \"y\" {\n  a =\n}\n");
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].path, "terraform/a.tf");
        assert!(findings[0].line.is_some());
        let yaml = check_file("w.yml", b"a: [\n");
        assert_eq!(yaml.len(), 1);
        let json = check_file("x.json", b"{\"a\": }\n");
        assert_eq!(json[0].line, Some(1));
    }

    #[test]
    fn good_files_pass() {
        assert!(check_file("a.hcl", b"locals {\n  a = \"${b}-x\"\n}\n").is_empty());
        assert!(check_file("a.yml", b"on:\n  push: {}\n").is_empty());
        assert!(check_file("a.md", b"# Title\n").is_empty());
    }

    #[test]
    fn binary_content_is_a_finding() {
        assert_eq!(
            check_file("a.md", &[0xff, 0xfe])[0].message,
            "is not UTF-8 text"
        );
    }
}
