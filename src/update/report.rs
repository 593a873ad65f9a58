//! Reporting an update: the plan's actions with counts, and what was done, as text or one JSON
//! document. Built after `apply` returns, from what it returned: a report never says "applied"
//! for an update that was not.

use super::{Action, Applied, Plan};
use std::collections::BTreeMap;

/// What became of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Done {
    /// Planned only (`--dry-run`, `--check`).
    NotWritten,
    /// Applied; what it wrote and deleted.
    Applied(Applied),
}

/// Counts per action, in the order actions are declared.
fn counts(plan: &Plan) -> BTreeMap<Action, usize> {
    let mut counts = BTreeMap::new();
    for file in &plan.files {
        *counts.entry(file.action).or_default() += 1;
    }
    counts
}

pub fn text(plan: &Plan, done: Done) -> String {
    let mut out = String::new();
    if plan.from_version != plan.to_version {
        out.push_str(&format!(
            "openedx-devops {} -> {}\n",
            plan.from_version, plan.to_version
        ));
    }
    for file in &plan.files {
        if matches!(file.action, Action::Unchanged) {
            continue;
        }
        out.push_str(&format!(
            "  {:<14} {}\n",
            file.action.label(),
            crate::suggest::escape_line(&file.path)
        ));
        if let Some(note) = &file.note {
            out.push_str(&format!("  {:<14}   {note}\n", ""));
        }
    }
    let shown: Vec<Action> = counts(plan)
        .into_keys()
        .filter(|action| *action != Action::Unchanged)
        .collect();
    if !shown.is_empty() {
        out.push_str("legend:\n");
        for action in shown {
            out.push_str(&format!("  {:<14} {}\n", action.label(), action.meaning()));
        }
    }
    for note in &plan.notes {
        out.push_str(&format!("note: {note}\n"));
    }
    for place in &plan.unresolved {
        out.push_str(&format!("unresolved conflict from update: {place}\n"));
    }
    let summary: Vec<String> = counts(plan)
        .into_iter()
        .map(|(action, count)| format!("{count} {}", action.label()))
        .collect();
    out.push_str(&format!("plan: {}\n", summary.join(", ")));
    let conflicts = plan.conflicts();
    out.push_str(&match done {
        _ if !plan.unresolved.is_empty() && !plan.changes_files() => format!(
            "{} unresolved conflict{} to resolve before the repository is up to date\n",
            plan.unresolved.len(),
            if plan.unresolved.len() == 1 { "" } else { "s" }
        ),
        _ if !plan.changes_files() => {
            "the repository is up to date with its answers and this generator\n".to_owned()
        }
        Done::NotWritten => {
            "nothing was written (run `openedx-devops update` to apply)\n".to_owned()
        }
        Done::Applied(_) if conflicts.is_empty() => "applied\n".to_owned(),
        Done::Applied(_) => format!(
            "applied; {} conflict{} to resolve: {}\n",
            conflicts.len(),
            if conflicts.len() == 1 { "" } else { "s" },
            conflicts.join(", ")
        ),
    });
    out
}

pub fn json(plan: &Plan, done: Done) -> String {
    let counts: BTreeMap<&str, usize> = counts(plan)
        .into_iter()
        .map(|(action, count)| (action.label(), count))
        .collect();
    let applied = match done {
        Done::Applied(applied) => Some(applied),
        Done::NotWritten => None,
    };
    let document = serde_json::json!({
        "from_version": plan.from_version,
        "to_version": plan.to_version,
        "files": plan.files,
        "counts": counts,
        "notes": plan.notes,
        "conflicts": plan.conflicts(),
        "unresolved": plan.unresolved,
        "changes": plan.changes_files(),
        "applied": applied.is_some() && plan.changes_files(),
        "written": applied.map(|applied| applied.written),
        "deleted": applied.map(|applied| applied.deleted),
    });
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::update::FilePlan;

    fn plan() -> Plan {
        Plan {
            from_version: "0.1.0".into(),
            to_version: "0.1.0".into(),
            files: vec![FilePlan::new("a.tf", Action::Update).writing(b"a\n".to_vec(), false)],
            record: Vec::new(),
            notes: Vec::new(),
            unresolved: Vec::new(),
        }
    }

    #[test]
    fn the_plan_explains_each_verb_it_shows() {
        let mut plan = plan();
        plan.files.push(FilePlan::new("b.tf", Action::Modified));
        plan.files.push(FilePlan::new("c.tf", Action::Unchanged));
        let text = text(&plan, Done::NotWritten);
        assert!(text.contains("legend:\n  update"), "{text}");
        assert!(
            text.contains("  modified       you changed it, the template did not; kept as it is\n"),
            "{text}"
        );
        assert!(!text.contains("nothing to do"), "{text}");
    }

    #[test]
    fn only_an_update_that_was_applied_says_so() {
        let plan = plan();
        assert!(
            text(&plan, Done::NotWritten)
                .ends_with("nothing was written (run `openedx-devops update` to apply)\n")
        );
        let json_text = json(&plan, Done::NotWritten);
        let document: serde_json::Value = serde_json::from_str(&json_text).unwrap();
        assert_eq!(document["applied"], false);
        let done = Done::Applied(Applied {
            written: 1,
            deleted: 0,
        });
        assert!(text(&plan, done).ends_with("applied\n"));
        let document: serde_json::Value = serde_json::from_str(&json(&plan, done)).unwrap();
        assert_eq!(document["applied"], true);
        assert_eq!(document["written"], 1);
    }
}
