//! `openedx-devops versions`: every version the generated repository pins.

use super::{Outcome, print};
use crate::blueprints::BlueprintSet;
use crate::cli::{ReportFormat, VersionsArgs};
use std::io::Write;

pub(super) fn run(args: &VersionsArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let blueprints = BlueprintSet::embedded()?;
    let versions = blueprints.versions();
    let text = match args.format {
        ReportFormat::Json => format!("{}\n", serde_json::to_string_pretty(versions)?),
        ReportFormat::Text => table(versions),
    };
    print(out, &text)?;
    Ok(Outcome::Success)
}

fn table(versions: &serde_json::Value) -> String {
    let mut text = format!("{:<14} {:<30} version\n", "group", "name");
    for (group, entries) in versions.as_object().into_iter().flatten() {
        for (name, version) in entries.as_object().into_iter().flatten() {
            let version = version
                .as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| version.to_string());
            text.push_str(&format!("{group:<14} {name:<30} {version}\n"));
        }
    }
    text
}
