//! `openedx-devops completions SHELL`: a shell completion script.

use super::{Outcome, output_error};
use crate::cli::{Cli, CompletionsArgs};
use std::io::Write;

pub(super) fn run(args: &CompletionsArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let mut command = <Cli as clap::CommandFactory>::command();
    // Rendered into memory first: clap_complete cannot report a failed write.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "openedx-devops", &mut script);
    out.write_all(&script).map_err(output_error)?;
    Ok(Outcome::Success)
}
