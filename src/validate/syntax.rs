//! Check 1, files: what each file holds ([`FileKind`], by name and content, one rule for a render
//! and a repository alike), that text is LF UTF-8 (and canonical in a render), and that YAML and
//! JSON parse. HCL parses once in [`super::terraform::Parsed`], which reports its errors.

use super::CheckKind;
use super::finding::Finding;
use super::tree::Tree;
use crate::blueprints::is_text;

/// Extensions of files that must be text, beyond HCL, YAML and JSON.
const TEXT_EXTENSIONS: &[&str] = &["md", "sh", "py", "txt", "tftpl", "tpl", "toml", "cfg"];

/// What a file holds. The name decides for the kinds it promises (`.tf` is HCL, `.md` is text);
/// otherwise the content does: UTF-8 without NUL bytes is text, anything else binary (a logo).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileKind {
    Hcl,
    Yaml,
    Json,
    Text,
    Binary,
}

impl FileKind {
    /// The kind a path's name promises, if it promises one.
    pub(crate) fn by_name(path: &str) -> Option<FileKind> {
        let name = path.rsplit('/').next().unwrap_or(path);
        let extension = name.rsplit_once('.').map_or("", |(_, extension)| extension);
        match extension {
            "tf" | "hcl" | "tfvars" => Some(FileKind::Hcl),
            "yml" | "yaml" => Some(FileKind::Yaml),
            "json" => Some(FileKind::Json),
            _ if TEXT_EXTENSIONS.contains(&extension) => Some(FileKind::Text),
            _ => None,
        }
    }

    /// The kind of a file: by name when the name promises one, else by content.
    pub(crate) fn of(path: &str, bytes: &[u8]) -> FileKind {
        FileKind::by_name(path).unwrap_or(if is_text(bytes) {
            FileKind::Text
        } else {
            FileKind::Binary
        })
    }
}

/// Whether a path's name says it is HCL (Terraform `.tf`, Terragrunt `.hcl`, `.tfvars`).
pub(crate) fn is_hcl(path: &str) -> bool {
    FileKind::by_name(path) == Some(FileKind::Hcl)
}

/// Whether a path's name says it is YAML.
pub(crate) fn is_yaml(path: &str) -> bool {
    FileKind::by_name(path) == Some(FileKind::Yaml)
}

/// The message of a text file with CRLF line endings (the generator writes LF).
const CRLF_MESSAGE: &str = "has CRLF line endings; the generator writes LF";

/// Per-file findings (encoding, line endings, YAML and JSON syntax; with `canonical`, the
/// canonical-text rules a render must meet). HCL syntax comes from [`hcl_errors`].
pub(crate) fn check(tree: &Tree, canonical: bool) -> Vec<Finding> {
    tree.iter()
        .flat_map(|(path, bytes)| check_file(path, bytes, canonical))
        .collect()
}

fn check_file(path: &str, bytes: &[u8], canonical: bool) -> Vec<Finding> {
    let kind = FileKind::of(path, bytes);
    if kind == FileKind::Binary {
        return Vec::new();
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return vec![
            Finding::fatal(CheckKind::Syntax, path, "is not UTF-8 text")
                .help("save the file as UTF-8"),
        ];
    };
    let mut findings = Vec::new();
    if canonical {
        findings.extend(canonical_text(path, text, kind));
    } else if FileKind::by_name(path).is_some() && text.contains("\r\n") {
        findings.push(
            Finding::fatal(CheckKind::Syntax, path, CRLF_MESSAGE)
                .help("convert it to LF (`dos2unix`, or `git config core.autocrlf input`)"),
        );
        return findings;
    }
    if kind != FileKind::Hcl {
        findings.extend(syntax_error(path, text));
    }
    findings
}

/// The syntax error of a text whose name says YAML, JSON or HCL, if it has one. The first line
/// of the parser's message, placed at its line and column.
pub fn syntax_error(path: &str, text: &str) -> Option<Finding> {
    let located = match FileKind::by_name(path)? {
        FileKind::Hcl => parse_hcl(text).err(),
        FileKind::Yaml => yaml_error(text),
        FileKind::Json => json_error(text),
        FileKind::Text | FileKind::Binary => None,
    }?;
    Some(located.finding(path))
}

/// Where and why a text does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Located {
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl Located {
    pub(crate) fn finding(&self, path: &str) -> Finding {
        // Parser messages may go on with a source excerpt; the first line says it all.
        let message = self.message.lines().next().unwrap_or_default();
        Finding::error(CheckKind::Syntax, path, message).at(self.line, self.column)
    }
}

/// The parsed body, or where and why it does not parse. The one HCL parse of a file.
pub(crate) fn parse_hcl(text: &str) -> Result<hcl::edit::structure::Body, Located> {
    hcl::edit::parser::parse_body(text).map_err(|error| {
        let location = error.location();
        Located {
            line: Some(location.line()),
            column: Some(location.column()),
            message: format!("HCL does not parse: {}", error.message()),
        }
    })
}

fn yaml_error(text: &str) -> Option<Located> {
    // A file may hold several documents (Kubernetes manifests).
    serde_saphyr::from_multiple::<serde_json::Value>(text)
        .err()
        .map(|error| {
            let location = error.location();
            Located {
                line: location.map(|l| l.line() as usize),
                column: location.map(|l| l.column() as usize),
                message: format!("YAML does not parse: {error}"),
            }
        })
}

fn json_error(text: &str) -> Option<Located> {
    serde_json::from_str::<serde_json::Value>(text)
        .err()
        .map(|error| Located {
            line: Some(error.line()),
            column: Some(error.column()),
            message: format!("JSON does not parse: {error}"),
        })
}

/// Canonical text, what every generated file meets: one final newline, no trailing spaces, no
/// tabs indenting YAML, no CR line ends.
fn canonical_text(path: &str, text: &str, kind: FileKind) -> Vec<Finding> {
    let finding = |line: Option<usize>, message: &str| {
        Finding::error(CheckKind::Text, path, message).at(line, None)
    };
    if text.is_empty() {
        return vec![finding(None, "is empty")];
    }
    let mut findings = Vec::new();
    if !text.ends_with('\n') {
        findings.push(finding(None, "does not end with a newline"));
    } else if text.ends_with("\n\n") {
        findings.push(finding(None, "ends with blank lines"));
    }
    // `split`, not `lines`: `lines` would strip the CR of a CRLF ending unseen.
    for (index, line) in text.split_terminator('\n').enumerate() {
        if line.ends_with('\r') {
            findings.push(finding(Some(index + 1), "has a CR line ending"));
        } else if line.ends_with(' ') || line.ends_with('\t') {
            findings.push(finding(Some(index + 1), "has trailing white space"));
        }
        if kind == FileKind::Yaml && line.starts_with('\t') {
            findings.push(finding(Some(index + 1), "indents YAML with a tab"));
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn run(files: &[(&str, &[u8])], canonical: bool) -> Vec<Finding> {
        let files: BTreeMap<String, Vec<u8>> = files
            .iter()
            .map(|(path, bytes)| ((*path).to_owned(), bytes.to_vec()))
            .collect();
        let tree = Tree::from_files(&files);
        let mut findings = check(&tree, canonical);
        findings.extend(super::super::terraform::Parsed::parse(&tree).syntax_findings());
        findings.sort_by(|a, b| a.path.cmp(&b.path));
        findings
    }

    #[test]
    fn good_files_pass_in_a_render_and_a_repository() {
        let files: &[(&str, &[u8])] = &[
            ("a.tf", b"variable \"a\" {\n  type = string\n}\n"),
            (
                "b.hcl",
                b"locals {\n  a = \"${get_terragrunt_dir()}/x\"\n}\n",
            ),
            ("c.yml", b"on:\n  push: {}\n"),
            ("d.json", b"{\"a\": 1}\n"),
            (
                "logo.png",
                &[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0],
            ),
            ("base.json.gz", &[0x1f, 0x8b, 0x08, 0, 0xff]),
        ];
        for canonical in [false, true] {
            let findings = run(files, canonical);
            assert!(findings.is_empty(), "{findings:?}");
        }
    }

    #[test]
    fn each_broken_kind_is_named_with_its_line() {
        let findings = run(
            &[
                ("a.tf", b"module \"x\" {\n  source = \n}\n"),
                ("b.yml", b"a: [\n"),
                ("c.json", b"{\"a\": }\n"),
                ("d.tfvars", b"a = \"x\n"),
            ],
            false,
        );
        let paths: Vec<_> = findings.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["a.tf", "b.yml", "c.json", "d.tfvars"]);
        assert!(findings.iter().all(|f| f.line.is_some()), "{findings:?}");
        assert!(findings[0].message.contains("HCL does not parse"));
        assert!(findings.iter().all(|f| !f.message.contains('\n')));
    }

    #[test]
    fn text_that_is_not_utf8_is_fatal_but_binary_files_are_not_checked() {
        let findings = run(
            &[
                ("a.hcl", &[0xff, 0xfe]),
                ("README.md", &[0xc3]),
                ("i.png", &[0xff]),
                ("no-extension", &[0xff, 0]),
            ],
            false,
        );
        assert_eq!(findings.len(), 2, "{findings:?}");
        assert!(
            findings
                .iter()
                .all(|f| f.message == "is not UTF-8 text" && f.severity.is_fatal())
        );
    }

    #[test]
    fn the_kind_of_a_file_is_the_same_rule_everywhere() {
        assert_eq!(
            FileKind::of("a/logo.png", &[0x89, 0x50, 0]),
            FileKind::Binary
        );
        assert_eq!(FileKind::of("a/Dockerfile", b"FROM x\n"), FileKind::Text);
        assert_eq!(FileKind::of("a/main.tf", &[0xff]), FileKind::Hcl);
        assert_eq!(FileKind::of("w.yaml", b"a: 1\n"), FileKind::Yaml);
    }

    #[test]
    fn crlf_is_fatal_in_a_repository_and_a_defect_in_a_render() {
        let repository = run(&[("a.yml", b"a: 1\r\n")], false);
        assert_eq!(repository.len(), 1, "{repository:?}");
        assert!(repository[0].severity.is_fatal());
        let render = run(&[("a.yml", b"a: 1\r\n")], true);
        assert_eq!(render[0].message, "has a CR line ending");
    }

    #[test]
    fn a_render_must_be_canonical_text() {
        let findings = run(&[("a.yml", b"a: 1 \n\tb: 2\nc: 3")], true);
        let lines: Vec<_> = findings
            .iter()
            .filter(|f| f.check == CheckKind::Text)
            .map(|f| (f.line, f.message.as_str()))
            .collect();
        assert_eq!(
            lines,
            [
                (None, "does not end with a newline"),
                (Some(1), "has trailing white space"),
                (Some(2), "indents YAML with a tab"),
            ]
        );
        assert_eq!(
            run(&[("a.md", b"x\n\n")], true)[0].message,
            "ends with blank lines"
        );
        assert!(run(&[("a.md", b"x\n")], true).is_empty());
        assert!(run(&[("a.md", b"x\n\n")], false).is_empty());
    }
}
