//! What validation reports: a [`Finding`] (file, line, column, severity, check, message, fix)
//! and the [`Report`] that prints them as text or JSON and says how the run ended. Holds no
//! check logic.

use super::CheckKind;
use serde::Serialize;
use std::fmt;

/// How much a finding matters. The exit status of `check` comes from these alone: a fatal
/// finding is exit 2 (the repository could not be fully checked), errors and warnings exit 1,
/// information exit 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A file could not be read as what it must be (not UTF-8, CRLF, too large, unreadable), so
    /// the checks that need it did not run.
    Fatal,
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Fatal => "fatal",
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    pub fn is_fatal(self) -> bool {
        self == Severity::Fatal
    }

    /// Errors and fatal findings: what a render may not have.
    pub fn is_error(self) -> bool {
        self <= Severity::Error
    }
}

/// One thing `check` has to say about one place in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    pub check: CheckKind,
    pub path: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    /// How to fix it, when that is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Finding {
    pub(crate) fn new(
        severity: Severity,
        check: CheckKind,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Finding {
        Finding {
            severity,
            check,
            path: path.into(),
            line: None,
            column: None,
            message: message.into(),
            help: None,
        }
    }

    pub(crate) fn fatal(
        check: CheckKind,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Finding {
        Finding::new(Severity::Fatal, check, path, message)
    }

    pub(crate) fn error(
        check: CheckKind,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Finding {
        Finding::new(Severity::Error, check, path, message)
    }

    pub(crate) fn warning(
        check: CheckKind,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Finding {
        Finding::new(Severity::Warning, check, path, message)
    }

    pub(crate) fn info(
        check: CheckKind,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Finding {
        Finding::new(Severity::Info, check, path, message)
    }

    /// Places the finding at a byte offset of the file's text.
    pub(crate) fn at_offset(mut self, text: &str, offset: usize) -> Finding {
        let (line, column) = line_column(text, offset);
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// Places the finding at a known line and column (both from 1).
    pub(crate) fn at(mut self, line: Option<usize>, column: Option<usize>) -> Finding {
        self.line = line;
        self.column = column;
        self
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }

    fn sort_key(&self) -> (&str, usize, usize, Severity, &str) {
        (
            &self.path,
            self.line.unwrap_or(0),
            self.column.unwrap_or(0),
            self.severity,
            &self.message,
        )
    }
}

impl fmt::Display for Finding {
    /// `path:line:column: severity: message`, and the fix on the next line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_location(f, &self.path, self.line, self.column)?;
        write!(f, ": {}: {}", self.severity.as_str(), self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n    help: {help}")?;
        }
        Ok(())
    }
}

/// `path`, `path:line` or `path:line:column`, as editors and terminals link them.
fn write_location(
    f: &mut fmt::Formatter<'_>,
    path: &str,
    line: Option<usize>,
    column: Option<usize>,
) -> fmt::Result {
    write!(f, "{}", crate::suggest::escape_line(path))?;
    if let Some(line) = line {
        write!(f, ":{line}")?;
        if let Some(column) = column {
            write!(f, ":{column}")?;
        }
    }
    Ok(())
}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |index| index + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Counts of findings by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub fatal: usize,
    pub error: usize,
    pub warning: usize,
    pub info: usize,
}

/// Every finding of one `check` run, sorted by file and position, without duplicates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub counts: Counts,
    /// Files read.
    pub files: usize,
}

impl Report {
    pub fn new(mut findings: Vec<Finding>, files: usize) -> Report {
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        findings.dedup();
        let mut counts = Counts::default();
        for finding in &findings {
            match finding.severity {
                Severity::Fatal => counts.fatal += 1,
                Severity::Error => counts.error += 1,
                Severity::Warning => counts.warning += 1,
                Severity::Info => counts.info += 1,
            }
        }
        Report {
            findings,
            counts,
            files,
        }
    }

    /// Clean: no error and no warning (information alone is clean).
    pub fn is_clean(&self) -> bool {
        self.status() == Status::Clean
    }

    /// How the run ended, from the severities of its findings alone.
    pub fn status(&self) -> Status {
        let Counts {
            fatal,
            error,
            warning,
            info: _,
        } = self.counts;
        if fatal > 0 {
            Status::Incomplete
        } else if error + warning > 0 {
            Status::Findings
        } else {
            Status::Clean
        }
    }

    /// The files with a fatal finding: those the checks could not read.
    pub fn unreadable(&self) -> Vec<&str> {
        let mut paths: Vec<&str> = self
            .findings
            .iter()
            .filter(|finding| finding.severity.is_fatal())
            .map(|finding| finding.path.as_str())
            .collect();
        paths.dedup();
        paths
    }

    /// The findings, one per line, then a summary line.
    pub fn to_text(&self) -> String {
        let mut text = String::new();
        for finding in &self.findings {
            text.push_str(&finding.to_string());
            text.push('\n');
        }
        let Counts {
            fatal,
            error,
            warning,
            info,
        } = self.counts;
        if self.findings.is_empty() {
            text.push_str(&format!("checked {} files: no findings\n", self.files));
        } else {
            let fatal = if fatal > 0 {
                format!("{fatal} fatal, ")
            } else {
                String::new()
            };
            text.push_str(&format!(
                "checked {} files: {fatal}{}, {}, {}\n",
                self.files,
                plural(error, "error"),
                plural(warning, "warning"),
                plural(info, "info"),
            ));
        }
        text
    }

    /// One JSON object: `findings`, `counts`, `files`.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// How a validation run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// No error and no warning.
    Clean,
    /// Errors or warnings: a person has something to fix.
    Findings,
    /// A file could not be read as it must be, so the repository was not fully checked.
    Incomplete,
}

fn plural(count: usize, word: &str) -> String {
    if count == 1 || word == "info" {
        format!("{count} {word}")
    } else {
        format!("{count} {word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_count_from_one() {
        let text = "ab\ncdé\nf";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 4), (2, 2));
        assert_eq!(line_column(text, 8), (3, 1));
        assert_eq!(line_column(text, 999), (3, 2));
    }

    #[test]
    fn text_names_file_line_column_severity_and_fix() {
        let finding = Finding::error(CheckKind::Registry, "a/main.tf", "`x` is not an input")
            .at(Some(12), Some(3))
            .help("remove it");
        assert_eq!(
            finding.to_string(),
            "a/main.tf:12:3: error: `x` is not an input\n    help: remove it"
        );
    }

    #[test]
    fn the_report_sorts_dedups_and_counts() {
        let info = Finding::info(CheckKind::Answers, "b", "edited");
        let error = Finding::error(CheckKind::Syntax, "a", "broken").at(Some(2), None);
        let report = Report::new(vec![info.clone(), error.clone(), info], 5);
        assert_eq!(
            report.findings,
            [error, Finding::info(CheckKind::Answers, "b", "edited")]
        );
        assert_eq!(
            report.counts,
            Counts {
                fatal: 0,
                error: 1,
                warning: 0,
                info: 1
            }
        );
        assert!(!report.is_clean());
        assert!(
            report
                .to_text()
                .ends_with("checked 5 files: 1 error, 0 warnings, 1 info\n")
        );
        let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
        assert_eq!(json["counts"]["error"], 1);
        assert_eq!(json["findings"][0]["severity"], "error");
        assert_eq!(json["findings"][0]["check"], "syntax");
    }

    #[test]
    fn information_alone_is_clean() {
        let report = Report::new(vec![Finding::info(CheckKind::Answers, "b", "edited")], 1);
        assert!(report.is_clean());
    }
}
