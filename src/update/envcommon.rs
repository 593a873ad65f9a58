//! Carries a user's edits of a Terragrunt unit across the move of its body to
//! `terraform/_envcommon/<unit>.hcl`: when the last generated unit (base) was written out in full
//! and the new render (theirs) is the short form that includes `_envcommon/`, the inputs you
//! changed or added in the old unit (ours) become inputs of the short unit, where they win over
//! the common file's. Only when those inputs are all you changed, to the byte: anything else (a
//! block, a removed input, a comment) is left to the line merge, which shows it as a conflict,
//! so nothing is dropped. Pure.

use crate::validate::key_name;
use hcl::edit::Span as _;
use hcl::edit::expr::Expression;
use std::collections::BTreeMap;
use std::ops::Range;

/// The short unit with your input edits in its `inputs`, and the names of those inputs; `None`
/// when this is not that move or your edits are not only inputs.
pub(crate) fn carry_edits(
    path: &str,
    base: &str,
    ours: &str,
    theirs: &str,
) -> Option<(String, Vec<String>)> {
    if !(path.starts_with("terraform/") && path.ends_with("/terragrunt.hcl")) {
        return None;
    }
    if includes_envcommon(base) || !includes_envcommon(theirs) {
        return None;
    }
    let base_inputs = entries(base)?;
    let ours_inputs = entries(ours)?;
    if base_inputs.keys().any(|key| !ours_inputs.contains_key(key)) {
        // An input you removed: the short unit cannot remove one of the common file.
        return None;
    }
    let changed: Vec<&String> = ours_inputs
        .iter()
        .filter(|(key, entry)| {
            base_inputs.get(*key).is_none_or(|base_entry| {
                base[base_entry.value.clone()] != ours[entry.value.clone()]
            })
        })
        .map(|(key, _)| key)
        .collect();
    if changed.is_empty() {
        return None;
    }
    // Undo those edits in ours: what is left must be the base, byte for byte.
    let mut undo: Vec<(Range<usize>, &str)> = changed
        .iter()
        .map(|key| {
            let entry = &ours_inputs[*key];
            match base_inputs.get(*key) {
                Some(base_entry) => (entry.value.clone(), &base[base_entry.value.clone()]),
                None => (entry.lines.clone(), ""),
            }
        })
        .collect();
    undo.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
    let mut reverted = ours.to_owned();
    for (range, text) in undo {
        reverted.replace_range(range, text);
    }
    if reverted != base {
        return None;
    }
    let theirs_inputs = entries(theirs)?;
    if changed.iter().any(|key| theirs_inputs.contains_key(*key)) {
        // The short unit sets that input itself: a person decides.
        return None;
    }
    let close = closing_brace(theirs)?;
    let line_start = theirs[..close].rfind('\n').map_or(0, |index| index + 1);
    if !theirs[line_start..close].trim().is_empty() {
        return None;
    }
    let width = changed
        .iter()
        .map(|key| key.len())
        .chain(theirs_inputs.keys().map(String::len))
        .max()
        .unwrap_or(0);
    let mut lines = String::new();
    for key in &changed {
        let value = &ours[ours_inputs[*key].value.clone()];
        lines.push_str(&format!("  {key:width$} = {value}\n"));
    }
    let text = format!("{}{lines}{}", &theirs[..line_start], &theirs[line_start..]);
    hcl::edit::parser::parse_body(&text).ok()?;
    Some((text, changed.into_iter().cloned().collect()))
}

/// Whether a unit has an `include` whose path names a file in `_envcommon/`.
fn includes_envcommon(text: &str) -> bool {
    hcl::edit::parser::parse_body(text).is_ok_and(|body| {
        body.get_blocks("include").any(|block| {
            block
                .body
                .get_attribute("path")
                .is_some_and(|path| path.value.to_string().contains("/_envcommon/"))
        })
    })
}

/// One `key = value` of an `inputs` object, as byte ranges of the file.
struct Entry {
    /// The value, with a comment that follows it on its last line.
    value: Range<usize>,
    /// The whole lines of the entry, from the start of the key's line to the end of the value's.
    lines: Range<usize>,
}

/// The entries of a file's `inputs` object; `None` when it is not an object written out.
fn entries(text: &str) -> Option<BTreeMap<String, Entry>> {
    let body = hcl::edit::parser::parse_body(text).ok()?;
    let attribute = body.get_attribute("inputs")?;
    let Expression::Object(object) = &attribute.value else {
        return None;
    };
    object
        .iter()
        .map(|(key, value)| {
            let key_span = key.span()?;
            let span = value.expr().span()?;
            let rest = &text[span.end..];
            let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
            let comment = line.trim_start();
            let end = if comment.starts_with('#') || comment.starts_with("//") {
                span.end + line.len()
            } else {
                span.end
            };
            let line_start = text[..key_span.start]
                .rfind('\n')
                .map_or(0, |index| index + 1);
            let line_end = text[end..]
                .find('\n')
                .map_or(text.len(), |index| end + index + 1);
            Some((
                key_name(key)?,
                Entry {
                    value: span.start..end,
                    lines: line_start..line_end,
                },
            ))
        })
        .collect()
}

/// The offset of the `}` that closes a file's `inputs` object.
fn closing_brace(text: &str) -> Option<usize> {
    let body = hcl::edit::parser::parse_body(text).ok()?;
    let close = body
        .get_attribute("inputs")?
        .value
        .span()?
        .end
        .checked_sub(1)?;
    (text.as_bytes().get(close) == Some(&b'}')).then_some(close)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PATH: &str = "terraform/environments/prod/mysql/terragrunt.hcl";
    const BASE: &str = "# RDS MySQL.\ninclude \"root\" {\n  path   = find_in_parent_folders(\"root.hcl\")\n  expose = true\n}\n\ndependency \"vpc\" {\n  config_path = \"../vpc\"\n}\n\ninputs = {\n  identifier        = include.root.locals.env.resource_prefix\n  allocated_storage = include.root.locals.env.mysql_allocated_storage\n  vpc_id            = dependency.vpc.outputs.vpc_id\n}\n";
    const THEIRS: &str = "# Short.\ninclude \"root\" {\n  path   = find_in_parent_folders(\"root.hcl\")\n  expose = true\n}\n\ninclude \"envcommon\" {\n  path = \"${dirname(find_in_parent_folders(\"root.hcl\"))}/_envcommon/mysql.hcl\"\n}\n\n# Inputs of this environment only.\ninputs = {\n}\n";

    #[test]
    fn changed_and_added_inputs_move_into_the_short_unit() {
        let ours = BASE
            .replace(
                "allocated_storage = include.root.locals.env.mysql_allocated_storage",
                "allocated_storage = 100 # more room",
            )
            .replace("  vpc_id ", "  multi_az          = true\n  vpc_id ");
        let (text, names) = carry_edits(PATH, BASE, &ours, THEIRS).unwrap();
        assert_eq!(names, ["allocated_storage", "multi_az"]);
        assert!(
            text.ends_with(
                "inputs = {\n  allocated_storage = 100 # more room\n  multi_az          = true\n}\n"
            ),
            "{text}"
        );
        assert!(text.starts_with("# Short."));
    }

    #[test]
    fn anything_but_inputs_is_left_to_the_line_merge() {
        let input = BASE.replace("include.root.locals.env.mysql_allocated_storage", "100");
        assert!(carry_edits(PATH, BASE, &input, THEIRS).is_some());
        let block = input.replace("\"../vpc\"", "\"../other-vpc\"");
        assert!(carry_edits(PATH, BASE, &block, THEIRS).is_none());
        let comment = input.replace("# RDS MySQL.", "# RDS MySQL, our comment.");
        assert!(carry_edits(PATH, BASE, &comment, THEIRS).is_none());
        let own_line = input.replace("  allocated_storage", "  # bigger\n  allocated_storage");
        assert!(carry_edits(PATH, BASE, &own_line, THEIRS).is_none());
        let removed = BASE.replace("  vpc_id            = dependency.vpc.outputs.vpc_id\n", "");
        assert!(carry_edits(PATH, BASE, &removed, THEIRS).is_none());
        // Not the move: the base already includes `_envcommon/`, or the render does not.
        let ours = BASE.replace("mysql_allocated_storage", "mysql_max_allocated_storage");
        assert!(carry_edits(PATH, THEIRS, &ours, THEIRS).is_none());
        assert!(carry_edits(PATH, BASE, &ours, BASE).is_none());
        assert!(carry_edits("docs/x.hcl", BASE, &ours, THEIRS).is_none());
    }

    #[test]
    fn an_input_the_short_unit_sets_itself_is_left_to_the_line_merge() {
        let theirs = THEIRS.replace("inputs = {\n}", "inputs = {\n  allocated_storage = 1\n}");
        let ours = BASE.replace("include.root.locals.env.mysql_allocated_storage", "100");
        assert!(carry_edits(PATH, BASE, &ours, &theirs).is_none());
    }
}
