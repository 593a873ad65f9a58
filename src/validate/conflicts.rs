//! Check 8, conflicts: a conflict block (`<<<<<<<`, `=======`, `>>>>>>>` lines, as `update` and
//! git write them) left in any text file, so an unresolved merge fails `check` and
//! `update --check` instead of passing as an edit.

use super::CheckKind;
use super::finding::Finding;
use super::tree::Tree;

pub(crate) fn check(tree: &Tree) -> Vec<Finding> {
    tree.iter()
        .filter_map(|(path, bytes)| Some((path, std::str::from_utf8(bytes).ok()?)))
        .flat_map(|(path, text)| {
            conflict_lines(text).into_iter().map(move |line| {
                Finding::error(CheckKind::Conflict, path, "unresolved conflict from update")
                    .at(Some(line), Some(1))
                    .help("keep the lines you want between the markers, delete the three marker lines, then run `openedx-devops check` again")
            })
        })
        .collect()
}

/// The line numbers (from 1) where a conflict block opens: a `<<<<<<<` line followed by a
/// `=======` line and then a `>>>>>>>` line.
pub fn conflict_lines(text: &str) -> Vec<usize> {
    // A marker line is the sign alone or the sign, a space and a label.
    let marker = |line: &str, sign: &str| {
        line.strip_prefix(sign)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
    };
    let mut found = Vec::new();
    if !text.contains("<<<<<<<") {
        return found;
    }
    let mut open: Option<(usize, bool)> = None;
    for (index, line) in text.lines().enumerate() {
        if marker(line, "<<<<<<<") {
            open = Some((index + 1, false));
        } else if marker(line, "=======") {
            if let Some((start, _)) = open {
                open = Some((start, true));
            }
        } else if marker(line, ">>>>>>>")
            && let Some((start, true)) = open
        {
            found.push(start);
            open = None;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn a_conflict_block_is_found_at_its_opening_line() {
        let text = "a\n<<<<<<< yours (this repository)\nb\n=======\nc\n>>>>>>> template (openedx-devops update)\nd\n<<<<<<<\nx\n=======\ny\n>>>>>>>\n";
        assert_eq!(conflict_lines(text), [2, 8]);
    }

    #[test]
    fn markdown_rules_and_lone_markers_are_not_conflicts() {
        assert!(conflict_lines("Title\n=======\n\ntext\n").is_empty());
        assert!(conflict_lines("<<<<<<< only\ntext\n").is_empty());
        assert!(conflict_lines("<<<<<<< a\nb\n>>>>>>> c\n").is_empty());
    }

    #[test]
    fn every_text_file_is_searched() {
        let files: BTreeMap<String, Vec<u8>> = [
            (
                "README.md",
                "<<<<<<< yours\na\n=======\nb\n>>>>>>> template\n",
            ),
            ("scripts/run.sh", "echo ok\n"),
        ]
        .into_iter()
        .map(|(path, text)| (path.to_owned(), text.as_bytes().to_vec()))
        .collect();
        let findings = check(&Tree::from_files(&files));
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].path, "README.md");
        assert_eq!(findings[0].line, Some(1));
    }
}
