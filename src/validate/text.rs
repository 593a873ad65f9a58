//! Canonical text: one final newline, no trailing spaces, no tabs in YAML, no CR line ends.

use super::{FileKind, Finding, file_kind};

pub(crate) fn check(path: &str, text: &str) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut finding = |line: Option<usize>, message: &str| {
        findings.push(Finding {
            path: path.to_owned(),
            line,
            column: None,
            message: message.to_owned(),
        });
    };
    if text.is_empty() {
        finding(None, "is empty");
        return findings;
    }
    if !text.ends_with('\n') {
        finding(None, "does not end with a newline");
    } else if text.ends_with("\n\n") {
        finding(None, "ends with blank lines");
    }
    let yaml = file_kind(path) == FileKind::Yaml;
    for (index, line) in text.lines().enumerate() {
        if line.ends_with('\r') {
            finding(Some(index + 1), "has a CR line ending");
        } else if line.ends_with(' ') || line.ends_with('\t') {
            finding(Some(index + 1), "has trailing white space");
        }
        if yaml && line.starts_with('\t') {
            finding(Some(index + 1), "indents YAML with a tab");
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_each_defect_with_its_line() {
        let findings = check("a.yml", "a: 1 \n\tb: 2\nc: 3");
        let lines: Vec<_> = findings
            .iter()
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
        assert_eq!(check("a.md", "x\n\n")[0].message, "ends with blank lines");
        assert!(check("a.md", "x\n").is_empty());
    }
}
