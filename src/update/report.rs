//! Printing an update plan: a table of actions with counts (text) or one JSON document.

use super::{Action, UpdatePlan};
use crate::cli::ReportFormat;
use std::collections::BTreeMap;

/// Counts per action, in the order actions are declared.
pub(crate) fn counts(plan: &UpdatePlan) -> BTreeMap<Action, usize> {
    let mut counts = BTreeMap::new();
    for decision in &plan.decisions {
        *counts.entry(decision.action).or_default() += 1;
    }
    counts
}

pub(crate) fn print(plan: &UpdatePlan, format: ReportFormat, writing: bool) {
    match format {
        ReportFormat::Text => print!("{}", text(plan, writing)),
        ReportFormat::Json => println!("{}", json(plan, writing)),
    }
}

pub(crate) fn text(plan: &UpdatePlan, writing: bool) -> String {
    let mut out = String::new();
    if plan.from_version != plan.to_version {
        out.push_str(&format!(
            "openedx-devops {} -> {}\n",
            plan.from_version, plan.to_version
        ));
    }
    for decision in &plan.decisions {
        if matches!(decision.action, Action::Unchanged) {
            continue;
        }
        out.push_str(&format!(
            "  {:<14} {}\n",
            decision.action.label(),
            decision.path
        ));
        if let Some(note) = &decision.note {
            out.push_str(&format!("  {:<14}   {note}\n", ""));
        }
    }
    for note in &plan.notes {
        out.push_str(&format!("note: {note}\n"));
    }
    let summary: Vec<String> = counts(plan)
        .into_iter()
        .map(|(action, count)| format!("{count} {}", action.label()))
        .collect();
    out.push_str(&format!("plan: {}\n", summary.join(", ")));
    let conflicts = plan.conflicts();
    out.push_str(&if !plan.changes_files() {
        "the repository is up to date with its answers and this generator\n".to_owned()
    } else if !writing {
        "nothing was written (run `openedx-devops update` to apply)\n".to_owned()
    } else if conflicts.is_empty() {
        "applied\n".to_owned()
    } else {
        format!(
            "applied; {} conflict{} to resolve: {}\n",
            conflicts.len(),
            if conflicts.len() == 1 { "" } else { "s" },
            conflicts.join(", ")
        )
    });
    out
}

pub(crate) fn json(plan: &UpdatePlan, writing: bool) -> String {
    let counts: BTreeMap<&str, usize> = counts(plan)
        .into_iter()
        .map(|(action, count)| (action.label(), count))
        .collect();
    let document = serde_json::json!({
        "from_version": plan.from_version,
        "to_version": plan.to_version,
        "files": plan.decisions,
        "counts": counts,
        "notes": plan.notes,
        "conflicts": plan.conflicts(),
        "changes": plan.changes_files(),
        "applied": writing && plan.changes_files(),
    });
    serde_json::to_string_pretty(&document).unwrap_or_default()
}
