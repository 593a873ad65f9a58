//! Check 1, syntax: every `.tf`, `.hcl` and `.tfvars` file parses as HCL, every YAML and JSON
//! file parses, and text files are UTF-8. Reuses [`crate::validate`]'s parsers; HCL syntax
//! errors come from the one parse of `terraform::Parsed`.

use super::finding::{CheckKind, Finding};
use super::terraform::Parsed;
use super::tree::Tree;
use crate::validate::{self, FileKind, file_kind};

/// Extensions of files that must be text, beyond HCL, YAML and JSON.
const TEXT_EXTENSIONS: &[&str] = &["md", "sh", "py", "txt", "tftpl", "tpl", "toml", "cfg"];

pub(crate) fn check(tree: &Tree, parsed: &Parsed) -> Vec<Finding> {
    let mut findings: Vec<Finding> = tree
        .iter()
        .filter_map(|(path, bytes)| check_file(path, bytes))
        .collect();
    findings.extend(hcl_errors(parsed));
    findings
}

/// The HCL files that did not parse, from the one parse the deeper checks share.
pub(crate) fn hcl_errors(parsed: &Parsed) -> Vec<Finding> {
    parsed
        .errors
        .iter()
        .map(|(path, (line, column, message))| {
            let finding = crate::validate::Finding {
                path: (*path).to_owned(),
                line: *line,
                column: *column,
                message: message.clone(),
            };
            Finding::from_validate(CheckKind::Syntax, finding)
        })
        .collect()
}

fn check_file(path: &str, bytes: &[u8]) -> Option<Finding> {
    let kind = file_kind(path);
    if matches!(kind, FileKind::Binary) {
        return None;
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        let extension = path.rsplit_once('.').map_or("", |(_, extension)| extension);
        let expects_text = !matches!(kind, FileKind::Other) || TEXT_EXTENSIONS.contains(&extension);
        return expects_text.then(|| {
            Finding::error(CheckKind::Syntax, path, "is not UTF-8 text")
                .help("save the file as UTF-8")
        });
    };
    let extension = path.rsplit_once('.').map_or("", |(_, extension)| extension);
    let text_kind = !matches!(kind, FileKind::Other) || TEXT_EXTENSIONS.contains(&extension);
    if text_kind && text.contains("\r\n") {
        return Some(
            Finding::error(CheckKind::Syntax, path, CRLF_MESSAGE)
                .help("convert it to LF (`dos2unix`, or `git config core.autocrlf input`)"),
        );
    }
    if kind == FileKind::Hcl {
        // Parsed once in `terraform::Parsed`; [`hcl_errors`] reports it.
        return None;
    }
    validate::check_syntax(path, text)
        .map(|finding| Finding::from_validate(CheckKind::Syntax, finding))
}

/// The message of a text file with CRLF line endings (the generator writes LF).
pub(crate) const CRLF_MESSAGE: &str = "has CRLF line endings; the generator writes LF";

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn run(files: &[(&str, &[u8])]) -> Vec<Finding> {
        let files: BTreeMap<String, Vec<u8>> = files
            .iter()
            .map(|(path, bytes)| ((*path).to_owned(), bytes.to_vec()))
            .collect();
        let tree = Tree::from_files(&files);
        let mut findings = check(&tree, &Parsed::parse(&tree));
        findings.sort_by(|a, b| a.path.cmp(&b.path));
        findings
    }

    #[test]
    fn good_files_pass() {
        let findings = run(&[
            ("a.tf", b"variable \"a\" {\n  type = string\n}\n"),
            (
                "b.hcl",
                b"locals {\n  a = \"${get_terragrunt_dir()}/x\"\n}\n",
            ),
            ("c.yml", b"on:\n  push: {}\n"),
            ("d.json", b"{\"a\": 1}\n"),
            ("logo.png", &[0x89, 0x50, 0xff]),
        ]);
        assert!(findings.is_empty(), "{findings:?}");
    }

    #[test]
    fn each_broken_kind_is_named_with_its_line() {
        let findings = run(&[
            ("a.tf", b"module \"x\" {\n  source = \n}\n"),
            ("b.yml", b"a: [\n"),
            ("c.json", b"{\"a\": }\n"),
            ("d.tfvars", b"a = \"x\n"),
        ]);
        let paths: Vec<_> = findings.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["a.tf", "b.yml", "c.json", "d.tfvars"]);
        assert!(findings.iter().all(|f| f.line.is_some()), "{findings:?}");
        assert!(findings[0].message.contains("HCL does not parse"));
    }

    #[test]
    fn non_utf8_text_is_a_finding_but_images_are_not() {
        let findings = run(&[
            ("a.hcl", &[0xff, 0xfe]),
            ("README.md", &[0xc3]),
            ("i.png", &[0xff]),
        ]);
        assert_eq!(findings.len(), 2);
        assert!(findings.iter().all(|f| f.message == "is not UTF-8 text"));
    }
}
