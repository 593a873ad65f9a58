//! `openedx-devops check [DIR]`: validate a repository on disk and print the findings.

use super::{Outcome, print};
use crate::cli::{CheckArgs, ReportFormat};
use crate::validate::{self, Status};
use std::io::Write;

pub(super) fn run(args: &CheckArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let report = validate::check_repository(&args.dir)?;
    let text = match args.format {
        ReportFormat::Text => report.to_text(),
        ReportFormat::Json => report.to_json(),
    };
    print(out, &text)?;
    match report.status() {
        Status::Clean => Ok(Outcome::Success),
        Status::Findings => Ok(Outcome::Attention),
        Status::Incomplete => {
            let unreadable = report.unreadable();
            anyhow::bail!(
                "{} file{} could not be checked, so the repository was not fully checked: {} (see the findings above)",
                unreadable.len(),
                if unreadable.len() == 1 { "" } else { "s" },
                unreadable.join(", ")
            )
        }
    }
}
