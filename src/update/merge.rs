//! Line-wise three-way merge of one text file (diffy), with conflict markers that name both
//! sides, and a syntax check of a clean merge so a merge that breaks HCL or YAML is a conflict.

/// The marker line that opens the repository's side of a conflict.
pub(crate) const YOURS_MARKER: &str = "<<<<<<< yours (this repository)";
/// The marker line that closes the template's side of a conflict.
pub(crate) const TEMPLATE_MARKER: &str = ">>>>>>> template (openedx-devops update)";

/// What merging one file gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Merged {
    /// Both sides' changes, combined without overlap.
    Clean(String),
    /// Overlapping changes, written with conflict markers; `reason` says why.
    Conflict { text: String, reason: String },
}

/// Merges `ours` (the repository) and `theirs` (the new render) from their common `base`.
pub fn merge(path: &str, base: &str, ours: &str, theirs: &str) -> Merged {
    match diffy::merge(base, ours, theirs) {
        Ok(text) => {
            // A clean line merge can still break a file's syntax: hand it to a person.
            match crate::validate::syntax_error(path, &text) {
                Some(finding) => Merged::Conflict {
                    text: whole_file_conflict(ours, theirs),
                    reason: format!(
                        "the merged file would not parse ({finding}), so both versions are shown whole"
                    ),
                },
                None => Merged::Clean(text),
            }
        }
        Err(text) => Merged::Conflict {
            text: name_sides(&text),
            reason: "you and the template changed the same lines".into(),
        },
    }
}

/// Replaces diffy's `ours`/`theirs` labels with names a person recognises.
fn name_sides(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    for line in text.split_inclusive('\n') {
        let (content, ending) = match line.strip_suffix('\n') {
            Some(content) => (content, "\n"),
            None => (line, ""),
        };
        match content {
            "<<<<<<< ours" => out.push_str(YOURS_MARKER),
            ">>>>>>> theirs" => out.push_str(TEMPLATE_MARKER),
            other => out.push_str(other),
        }
        out.push_str(ending);
    }
    out
}

/// Both versions of a file, whole, between conflict markers.
pub(crate) fn whole_file_conflict(ours: &str, theirs: &str) -> String {
    let mut text = format!("{YOURS_MARKER}\n{ours}");
    if !ours.ends_with('\n') {
        text.push('\n');
    }
    text.push_str("=======\n");
    text.push_str(theirs);
    if !theirs.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(TEMPLATE_MARKER);
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "a = 1\nb = 2\nc = 3\nd = 4\ne = 5\n";

    #[test]
    fn edits_in_different_places_both_survive() {
        let ours = "a = 1\nb = 20\nc = 3\nd = 4\ne = 5\n";
        let theirs = "a = 1\nb = 2\nc = 3\nd = 4\ne = 50\n";
        assert_eq!(
            merge("x.txt", BASE, ours, theirs),
            Merged::Clean("a = 1\nb = 20\nc = 3\nd = 4\ne = 50\n".into())
        );
    }

    #[test]
    fn the_same_line_changed_twice_is_a_conflict_naming_both_sides() {
        let ours = "a = 1\nb = 20\nc = 3\nd = 4\ne = 5\n";
        let theirs = "a = 1\nb = 200\nc = 3\nd = 4\ne = 5\n";
        let Merged::Conflict { text, reason } = merge("x.txt", BASE, ours, theirs) else {
            panic!("expected a conflict");
        };
        assert!(
            text.contains(YOURS_MARKER) && text.contains(TEMPLATE_MARKER),
            "{text}"
        );
        assert!(text.contains("b = 20\n") && text.contains("b = 200\n"));
        assert!(reason.contains("same lines"));
    }

    #[test]
    fn a_clean_merge_that_breaks_hcl_is_a_conflict() {
        let base = "locals {\n  a = 1\n}\n\nlocals {\n  b = 2\n  c = 3\n}\n";
        // The user drops a closing brace; the template changes a line far from it.
        let ours = "locals {\n  a = 1\n\nlocals {\n  b = 2\n  c = 3\n}\n";
        let theirs = "locals {\n  a = 1\n}\n\nlocals {\n  b = 2\n  c = 30\n}\n";
        match merge("main.tf", base, ours, theirs) {
            Merged::Conflict { text, reason } => {
                assert!(reason.contains("would not parse"), "{reason}");
                assert!(text.starts_with(YOURS_MARKER));
            }
            Merged::Clean(text) => panic!("merged into broken HCL:\n{text}"),
        }
    }

    #[test]
    fn identical_changes_on_both_sides_merge_cleanly() {
        let both = "a = 1\nb = 9\nc = 3\nd = 4\ne = 5\n";
        assert_eq!(merge("x.txt", BASE, both, both), Merged::Clean(both.into()));
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(256))]

        /// A user edit and a template edit on lines far apart both survive the merge.
        #[test]
        fn edits_that_do_not_overlap_are_both_kept(
            lines in proptest::collection::vec("[a-z]{1,12}", 8..40),
            ours_at in 0usize..1000,
            gap in 3usize..6,
            ours_text in "[A-Z]{1,12}",
            theirs_text in "[0-9]{1,12}",
        ) {
            let count = lines.len();
            let ours_index = ours_at % (count - gap);
            let theirs_index = ours_index + gap;
            let join = |lines: &[String]| lines.iter().map(|line| format!("{line}\n")).collect::<String>();
            let base = join(&lines);
            let mut ours_lines = lines.clone();
            ours_lines[ours_index] = ours_text.clone();
            let mut theirs_lines = lines.clone();
            theirs_lines[theirs_index] = theirs_text.clone();
            let mut both = lines.clone();
            both[ours_index] = ours_text;
            both[theirs_index] = theirs_text;
            let merged = merge("notes.txt", &base, &join(&ours_lines), &join(&theirs_lines));
            proptest::prop_assert_eq!(merged, Merged::Clean(join(&both)));
        }
    }
}
